/** Exit codes: 0 success, 1 a verification or operation was rejected, 2 usage or configuration error. */
export const ExitCode = { OK: 0, REJECTED: 1, USAGE: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
