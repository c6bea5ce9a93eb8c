/**
 * Console lines ("type: text") that say the page did not start cleanly: any error, or a second
 * tfjs-core setting its platform or registering its kernels again over the first one's.
 */
export function consoleProblems(lines: readonly string[]): string[] {
  return lines.filter((l) => /already been set|already registered|error/i.test(l));
}
