/** For the `default` of a switch over a union: a member the code forgot is a compile error, and a bad value at run time throws. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
