import { runProgram } from '../run-program.ts';

/*
 * QEMU's backup job writes the zeros of a sparse source as zero-range extents: allocated,
 * "unwritten", reading as zeros. They cost the host the disk's whole size and look like data to
 * SEEK_DATA while cached. FIEMAP names them, and punching them is a metadata operation (a 2 GiB
 * capture holding 1 GiB of data: 0.15 s). Perl because perl-base is Essential on Debian and has
 * ioctl and syscall; 285 is fallocate on x86_64, mode 3 is PUNCH_HOLE | KEEP_SIZE, 0x800 is
 * FIEMAP_EXTENT_UNWRITTEN, flag 1 of the request is FIEMAP_FLAG_SYNC.
 */
const PUNCH_SCRIPT = `
open(my $fh, '+<', $ARGV[0]) or die "open: $!\\n";
my $FIEMAP = 0xC020660B; my $N = 512; my $start = 0; my $punched = 0; my $size = -s $fh;
while ($start < $size) {
  my $buf = pack('QQLLLL', $start, $size - $start, 1, 0, $N, 0) . ("\\0" x (56 * $N));
  ioctl($fh, $FIEMAP, $buf) or die "fiemap: $!\\n";
  my (undef, undef, undef, $mapped) = unpack('QQLL', $buf);
  last if $mapped == 0;
  my $end = 0;
  for my $i (0 .. $mapped - 1) {
    my ($logical, undef, $length, undef, undef, $flags) =
      unpack('QQQQQL', substr($buf, 32 + 56 * $i, 56));
    if ($flags & 0x800) {
      syscall(285, fileno($fh), 3, $logical, $length) == 0 or die "punch: $!\\n";
      $punched += $length;
    }
    $start = $logical + $length; $end = $flags & 1;
  }
  last if $end;
}
print "$punched\\n";`;

/**
 * Turns the unwritten (zero) extents of a file into holes; returns the bytes freed. A filesystem
 * without FIEMAP leaves the file as it is (correct, only larger).
 */
export async function punchUnwrittenExtents(path: string): Promise<number> {
  const run = await runProgram('perl', ['-e', PUNCH_SCRIPT, path]);
  if (run.code === 0) return Number(run.stdout.trim()) || 0;
  if (/fiemap: (Operation not supported|Inappropriate ioctl)/.test(run.stderr)) return 0;
  throw new Error(`punching zero extents of ${path} failed: ${run.stderr.trim()}`);
}
