import { errorName } from 'dashembed:spec';

// sdkError builds an Error the shell throws itself, with the name and code
// Go gives its own Errors, so that apps can test error.code alike.
export function sdkError(code, message, cause) {
  const err = new Error(message);
  err.name = errorName;
  err.code = code;
  if (cause !== undefined) err.cause = cause;
  return err;
}
