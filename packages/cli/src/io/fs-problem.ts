/** A file-system error's code in words, for one-line messages that name the path (the caller adds it). */
const WORDS: Record<string, string> = {
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a file is in the way where a folder should be',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  ELOOP: 'too many symbolic links (a loop?)',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/** Whether `e` is a Node file-system error (it has an errno code). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!)
  );
}

export function fsProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code ? `${WORDS[code] ?? 'input/output error'} (${code})` : String((e as Error)?.message ?? e);
}
