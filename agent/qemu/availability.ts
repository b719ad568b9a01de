import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { aptInstallHint, findGuestPrerequisites } from '../guest/demo-guest.ts';

/** Whether this host can run slices as QEMU VMs, or the `apt-get` line that makes it so. */
export type QemuAvailability =
  | { ok: true; qemu: string; qemuImg: string; kernel: string; modulesDir: string; busybox: string }
  | { ok: false; missing: string[]; install: string };

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, command);
    if (
      await access(path, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return undefined;
}

/** Checks for qemu-system-x86_64, qemu-img, a kernel with virtio modules and a static busybox. */
export async function findQemu(): Promise<QemuAvailability> {
  const [qemu, qemuImg, guest] = await Promise.all([
    findOnPath('qemu-system-x86_64'),
    findOnPath('qemu-img'),
    findGuestPrerequisites(),
  ]);
  const missing = [
    ...(qemu ? [] : ['qemu-system-x86']),
    ...(qemuImg ? [] : ['qemu-utils']),
    ...(guest.ok ? [] : guest.missing),
  ];
  if (guest.ok && qemu && qemuImg) return { ...guest, qemu, qemuImg };
  return { ok: false, missing, install: aptInstallHint(missing) };
}
