import { TargetError } from '../directory-target';

/** The row ids of a `group_concat` of integers ("12,7,300"), without making a string per id. */
export function parseIdList(list: string): number[] {
  const ids: number[] = [];
  let n = 0;
  let digits = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
    } else {
      if (digits > 0) ids.push(n);
      n = 0;
      digits = 0;
    }
  }
  if (digits > 0) ids.push(n);
  return ids;
}

/** Runs one write, turning a unique-name violation into a `conflict` the run records and moves past. */
export function guard(write: () => unknown): void {
  try {
    write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
      const what = /dir_groups/.test(String((error as Error).message)) ? 'group name' : 'username';
      throw new TargetError('conflict', `The ${what} is already taken in the directory.`);
    }
    throw error;
  }
}
