// Worker threads do not inherit the tsx loader the collector runs under (`node --import tsx`):
// register it here, then load the TypeScript entry named in workerData.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
