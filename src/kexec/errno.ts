// The error a kexec operation fails with: an errno (kexec-linux.md §1.2) and a readable reason.
import { ERRNO_NAMES } from './abi.ts';

export class KexecError extends Error {
  constructor(
    readonly errno: number,
    readonly reason: string,
  ) {
    super(`${ERRNO_NAMES[errno] ?? `errno ${errno}`}: ${reason}`);
    this.name = 'KexecError';
  }
}
