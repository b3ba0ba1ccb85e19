// The devices kexec freezes and restores across a jump, as a kernel's device PM sees them. A
// controller's suspend/resume saves its registers, never the medium: Disk.save() (made for machine
// snapshots) includes every sector, so restoring it on A's return would undo what the peer wrote
// to the disk meanwhile (a dump kernel's hibernation image). This view keeps the disk's contents.
import type { Disk } from '../devices/disk.ts';
import type { Device, DeviceState } from '../device.ts';

/** `disk` for kexec: save/restore cover the controller's registers; the sectors stay as they are. */
export function diskControllerView(disk: Disk): Device {
  return {
    name: disk.name,
    base: disk.base,
    size: disk.size,
    read: (offset, width) => disk.read(offset, width),
    write: (offset, width, value) => disk.write(offset, width, value),
    reset: () => disk.reset(),
    save: (): DeviceState => ({ ...disk.save(), sectors: [] }),
    restore: (state: DeviceState): void => {
      const media = disk.image.slice();
      disk.restore({ ...state, sectors: [] });
      disk.image.set(media);
    },
  };
}
