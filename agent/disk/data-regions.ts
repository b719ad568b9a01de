import { programOutput } from '../run-program.ts';

/** A half-open byte range `[start, end)`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/*
 * Node has no lseek(SEEK_DATA/SEEK_HOLE), so a child process asks the kernel. Measured on a 4 GiB
 * file holding 1 GiB: this perl one-liner 9 ms, `filefrag -v` (FIEMAP) 2 ms, reading and testing
 * all 4 GiB in Node 1.15 s warm, 2.45 s cold. Perl wins on availability and semantics: perl-base is
 * Essential on Debian (e2fsprogs is not), and SEEK_DATA reports unwritten (fallocated) extents as
 * holes and dirty, not yet allocated pages as data, where FIEMAP needs flag handling for both.
 * Whence 3 and 4 are SEEK_DATA and SEEK_HOLE on Linux; "0 but true" is why `+ 0` is there.
 */
const SEEK_SCRIPT = `
open(my $fh, '<', $ARGV[0]) or die "open: $!\\n";
my $size = -s $fh; my $pos = 0;
while ($pos < $size) {
  my $data = sysseek($fh, $pos, 3); last unless defined $data;
  my $hole = sysseek($fh, $data, 4); $hole = $size unless defined $hole;
  print(($data + 0), ' ', ($hole + 0), "\\n"); $pos = $hole + 0;
}`;

/** Merges touching ranges; input sorted by start. */
function coalesce(ranges: ByteRange[]): ByteRange[] {
  const merged: ByteRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    } else merged.push(range);
  }
  return merged;
}

/**
 * The regions of a file that hold data, without reading it. Where the helper cannot run, the
 * whole file counts as data (correct, only slower: all-zero chunks are still skipped).
 */
export async function findDataRegions(path: string, sizeBytes: number): Promise<ByteRange[]> {
  if (sizeBytes === 0) return [];
  try {
    const output = await programOutput('perl', ['-e', SEEK_SCRIPT, path]);
    const ranges: ByteRange[] = [];
    for (const line of output.split('\n')) {
      const [start, end] = line.split(' ').map(Number);
      if (start === undefined || end === undefined || !(end > start)) continue;
      ranges.push({ start, end: Math.min(end, sizeBytes) });
    }
    return coalesce(ranges);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [{ start: 0, end: sizeBytes }];
    throw error;
  }
}
