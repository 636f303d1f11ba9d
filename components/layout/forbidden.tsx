export function Forbidden({ need }: { need: string }) {
  return (
    <div role="alert" className="mx-auto mt-16 max-w-md text-center">
      <p className="text-4xl font-semibold text-zinc-300 dark:text-zinc-700">403</p>
      <h1 className="mt-2 text-lg font-semibold">Not allowed</h1>
      <p className="mt-1 text-sm text-zinc-500">This page needs the {need} role. Ask an admin if you need access.</p>
    </div>
  );
}
