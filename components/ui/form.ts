import type { FormEvent } from "react";

/**
 * A submit handler that keeps what the person typed. (React 19 form `action`s reset
 * uncontrolled fields after every submit, which would wipe the form on a validation
 * error from the server.)
 */
export function onSubmitForm(fn: (data: FormData, form: HTMLFormElement) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    fn(new FormData(event.currentTarget), event.currentTarget);
  };
}
