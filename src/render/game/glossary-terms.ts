// The words of the game explained in the player's words (after docs/kexec-contract.md and
// kexec-linux.md): every role of the map's legend, every kexec word the briefings use and every
// phase of the timeline. Data only; glossary.ts shows it (tooltips, the Reference dialog).

export type GlossarySection = 'map' | 'kexec' | 'timeline';

export interface GlossaryEntry {
  id: string;
  term: string;
  section: GlossarySection;
  /** One sentence: the tooltip. */
  short: string;
  /** More, for the Reference page. */
  more: string;
  /** Labels the page shows for it exactly (legend, timeline phase), lower case. */
  labels: readonly string[];
  /** Phrases linked to it in briefings and callouts (case-insensitive, whole words). */
  words: readonly string[];
}

const entry = (e: GlossaryEntry): GlossaryEntry => e;

export const GLOSSARY: readonly GlossaryEntry[] = [
  // ---- the map ----
  entry({ id: 'page', term: 'page', section: 'map', labels: [], words: ['4 KiB page', 'pages of RAM'],
    short: 'One 4 KiB piece of physical memory: one cell of the map.',
    more: 'kexec works a page at a time: it allocates pages, copies pages and swaps pages. A page\'s number from the start of RAM is its frame; the map shows 64 pages a row, the row\'s address on the left.' }),
  entry({ id: 'owner', term: 'owner', section: 'map', labels: ['owner', 'nobody'], words: [],
    short: 'The kernel a page belongs to: the cell\'s colour.',
    more: 'Each kernel kexec knows gets a colour. After a jump the window\'s pages change colour in one sweep: they are the new kernel\'s now. "nobody" is memory no kernel has.' }),
  entry({ id: 'role', term: 'role', section: 'map', labels: ['role'], words: [],
    short: 'What a page is used for: the cell\'s shade and mark.',
    more: 'kernel, free, and the pages kexec allocates for a loaded image: source, indirection, control, swap, and the destination pages the image goes to.' }),
  entry({ id: 'kernel', term: 'kernel page', section: 'map', labels: ['kernel'], words: ['kernel pages'],
    short: 'A page the OS\'s kernel itself uses: its code, data and stack.',
    more: 'kexec never allocates these. A kernel\'s image and .bss are in use from the moment it boots; it can mark more (a stack, a buffer) with RESERVE.' }),
  entry({ id: 'free', term: 'free page', section: 'map', labels: ['free'], words: ['free pages'],
    short: 'A page its kernel owns but does not use: kexec takes the pages it needs from these, lowest first.',
    more: 'Loading an image allocates source, indirection, control and swap pages from the loading kernel\'s free pages, always the lowest free frame first, so the same load gives the same layout every time.' }),
  entry({ id: 'source', term: 'source page', section: 'map', labels: ['source'], words: ['source pages', 'source page', 'backup pages', 'backup page', 'backups'],
    short: 'Holds the new kernel\'s bytes until the jump; with preserve context it then holds a page of the old kernel: its backup.',
    more: 'At the load, kexec copies each page of the image into a source page (folded corner on the map). At a kexec jump each source page trades places with its destination page: the new kernel\'s page goes where it must run, the old kernel\'s page goes into the source page. When the old kernel comes back the same pairs are swapped back. Without preserve context the pages are only copied, and the old kernel is gone.' }),
  entry({ id: 'destination', term: 'destination page', section: 'map', labels: ['destination'], words: ['destination pages', 'destination page', 'destinations'],
    short: 'Where a loaded kernel\'s bytes must end up: a page of its window (underlined on the map).',
    more: 'Until the jump they still hold the old kernel\'s memory and keep its colour. The jump fills them with the new kernel, and they change owner in one sweep.' }),
  entry({ id: 'indirection', term: 'indirection page', section: 'map', labels: ['indirection'], words: ['indirection pages', 'indirection page', 'indirection list', 'entry list'],
    short: 'The list of which source page goes to which destination page (striped on the map).',
    more: 'kexec writes it at load time, one 32-bit word per entry: "destination here", "source this", "next list page", "done". A page holds 1023 entries and a link to the next page when there are more. The relocate code walks it at the jump and again on the way back.' }),
  entry({ id: 'control', term: 'control page', section: 'map', labels: ['control'], words: ['control pages', 'control page'],
    short: 'One page per loaded image: the relocate code that does the jump, and the jumping kernel\'s saved state.',
    more: 'kexec copies the relocate code into it at every jump. While the peer runs, it keeps what the kernel that jumped needs to come back: its saved registers and stack pointer, the list head, and the address to resume at. A framed, light cell on the map.' }),
  entry({ id: 'swap', term: 'swap page', section: 'map', labels: ['swap'], words: ['swap pages', 'swap page'],
    short: 'The scratch page every pair goes through at the jump: destination → swap page, source → destination, swap page → source.',
    more: 'Three page copies per pair trade the two pages without needing a second copy of memory. It is also the stack the called kernel is entered with (the space below sp is scratch: it is overwritten by the next pair).' }),
  entry({ id: 'device-buffer', term: 'device buffer', section: 'map', labels: ['device buffer'], words: ['device buffer'],
    short: 'Memory a device reads or writes by itself: the disk\'s transfer buffer.', more: 'Pages a device controller uses: a kernel must not let kexec put anything there while the device works.' }),
  entry({ id: 'framebuffer', term: 'framebuffer', section: 'map', labels: ['framebuffer'], words: ['framebuffer pages', 'framebuffer'],
    short: 'Pages a kernel draws its screen into.', more: 'The Life kernels of level 14 keep their boards here; each kernel\'s framebuffer is marked so you can see whose screen survives a jump.' }),
  entry({ id: 'reserved', term: 'reserved page', section: 'map', labels: ['reserved'], words: ['reserved pages', 'RESERVE'],
    short: 'A page its kernel told kexec never to allocate (RESERVE): a stack or buffer outside its image.',
    more: 'Without it kexec may allocate a source or control page right over memory the kernel is using.' }),
  entry({ id: 'written', term: 'just written', section: 'map', labels: ['just written'], words: [],
    short: 'A page written in the last few frames flashes in a light tint of its owner\'s colour.',
    more: 'Watch the relocate code\'s walk: each pair flashes as it is swapped.' }),
  // ---- kexec words ----
  entry({ id: 'kexec', term: 'kexec', section: 'kexec', labels: [], words: ['kexec jump', 'kexec'],
    short: 'How one running kernel loads another and starts it directly, without the firmware. kexec jump adds the way back.',
    more: 'kexec -l loads an image, kexec -e jumps to it. With preserve context the jump is a kexec jump: the kernel that jumped is kept, swapped out, and resumes when its peer jumps back.' }),
  entry({ id: 'load', term: 'kexec -l (load)', section: 'kexec', labels: ['load'], words: ['kexec -l', 'kexec_load', 'loads'],
    short: 'Loads a kernel image without starting it: its segments into source pages, plus the indirection, control and swap pages.',
    more: 'kexec-tools reads the image, places it in the window, fills the rest of the window with zero segments and calls kexec_load. The load is refused with an error number (EINVAL, ENOMEM, EBUSY...) when a segment does not fit the rules; the previous image then stays.' }),
  entry({ id: 'exec', term: 'kexec -e (jump)', section: 'kexec', labels: [], words: ['kexec -e'],
    short: 'Executes the loaded image: the jump.', more: 'With a preserving image it is a kexec jump and returns, later, when a peer jumps back. Without, it is a plain reboot into the new kernel.' }),
  entry({ id: 'kimage', term: 'kimage', section: 'kexec', labels: [], words: ['kimage', 'loaded image', 'image slot'],
    short: 'The kernel\'s record of a loaded image: entry point, segments, entry list, control and swap pages.',
    more: 'Each kernel has one image slot: loading again replaces the image (and frees the old one\'s pages), kexec -u unloads it.' }),
  entry({ id: 'segment', term: 'segment', section: 'kexec', labels: [], words: ['segments', 'segment table', 'segment'],
    short: 'One piece of an image: bufsz bytes from a buffer put at physical address mem, the rest of memsz filled with zeros.',
    more: 'At most 16 per image, page aligned, inside RAM, not overlapping, and in total at most half of the loading kernel\'s memory. A segment with bufsz 0 is all zeros: it gives the new kernel memory it can use.' }),
  entry({ id: 'preserve', term: 'preserve context', section: 'kexec', labels: [], words: ['--load-preserve-context', 'preserve context', 'preserves', 'preserved', 'PRESERVE_CONTEXT'],
    short: 'The load flag that makes the jump a kexec jump: the old kernel is swapped out and kept, not overwritten, so it can come back.',
    more: 'kexec -l --load-preserve-context (KEXEC_PRESERVE_CONTEXT). Its CPU registers and devices are saved at the jump and restored on the way back. The 2007 design split it into CPU, CPU extensions and devices: some levels let you choose each.' }),
  entry({ id: 'window', term: 'window', section: 'kexec', labels: [], words: ['--mem-min', '--mem-max', 'window'],
    short: 'The range of memory the new kernel gets (--mem-min to --mem-max): the image goes inside, every hole becomes zero segments.',
    more: 'All of the window becomes the new kernel\'s memory at the jump: its destination pages. Too small and the kernel has no room for its data; placed over pages the old kernel needs and they are swapped away.' }),
  entry({ id: 'append', term: '--append', section: 'kexec', labels: [], words: ['--append', 'command line'],
    short: 'Text put on the new kernel\'s command line (name=B ...).', more: 'Purgatory adds kexec_jump_back_entry=ADDRESS to it before the kernel starts.' }),
  entry({ id: 'purgatory', term: 'purgatory', section: 'kexec', labels: [], words: ['purgatory'],
    short: 'A small program kexec-tools runs before the new kernel: it checks the image and adds the jump-back entry to its command line.',
    more: 'It recomputes the SHA-256 of every loaded segment (and stops if one was clobbered), then reads the address it was entered with a way back from and appends kexec_jump_back_entry=ADDRESS. A plain reboot appends nothing.' }),
  entry({ id: 'jump-back-entry', term: 'jump-back entry', section: 'kexec', labels: [], words: ['kexec_jump_back_entry', '$JUMP_BACK_ENTRY', 'jump-back entry', 're-entry'],
    short: 'The address to jump to to resume the kernel that jumped here; the new kernel finds it on its command line.',
    more: 'It points into the old kernel\'s control page. A jump there runs the relocate code backwards: the pairs are swapped back and the old kernel continues after its kexec -e.' }),
  entry({ id: 'helper', term: 'jump-back helper', section: 'kexec', labels: [], words: ['--load-jump-back-helper', 'jump-back helper', 'helper'],
    short: 'An image with no pages, only an entry point: the jump-back entry. Jumping to it goes back to the kernel that jumped here.',
    more: 'kexec --load-jump-back-helper --entry=$JUMP_BACK_ENTRY, then kexec -e. A kernel has one image slot, so while the helper is loaded it cannot load anything else.' }),
  entry({ id: 'relocate', term: 'relocate code', section: 'kexec', labels: [], words: ['relocate code', 'relocate.S'],
    short: 'The code in the control page that does the jump: saves the CPU, swaps every pair through the swap page, enters the new kernel.',
    more: 'It runs with the MMU off, on the simulated CPU, instruction by instruction: that is the walk you watch on the map. On the way back it swaps everything back, restores the CPU and hands back to the kernel.' }),
  entry({ id: 'call', term: 'CALL', section: 'kexec', labels: ['call'], words: ['CALL', 'kexec_call'],
    short: 'Runs a loaded image as a function with arguments (physical-mode firmware code); its return value comes back to the caller.',
    more: 'No devices are frozen. The callee gets ra = the re-entry and sp = a stack in the swap page; a plain ret brings its a0 back.' }),
  entry({ id: 'intact', term: 'intact', section: 'kexec', labels: [], words: ['exactly as it left it', 'intact'],
    short: 'A kernel\'s memory, page for page, is what it was at its jump when it comes back.',
    more: 'The referee compares every page the kernel owned at the jump with what it finds at its return. A source page placed where the peer writes, or a window over the kernel\'s own data, breaks it.' }),
  // ---- timeline phases ----
  entry({ id: 'boot', term: 'boot', section: 'timeline', labels: ['boot'], words: [],
    short: 'The board powers on and the first OS starts (a power cycle boots again).', more: '' }),
  entry({ id: 'freeze', term: 'freeze', section: 'timeline', labels: ['freeze'], words: ['freezes', 'frozen'],
    short: 'Before a kexec jump: user space frozen, devices suspended (their state saved), interrupts off.',
    more: 'The steps of Linux\'s kernel_kexec, in order; each may fail, and then everything done so far is undone in reverse.' }),
  entry({ id: 'jump', term: 'jump', section: 'timeline', labels: ['jump'], words: ['jumps', 'jump'],
    short: 'The moment a kernel hands the machine to another: the relocate code swaps the pairs and enters it.', more: '' }),
  entry({ id: 'swap-phase', term: 'swap (phase)', section: 'timeline', labels: ['swap'], words: [],
    short: 'The relocate code trading each destination page with its source page through the swap page.', more: '' }),
  entry({ id: 'thaw', term: 'thaw', section: 'timeline', labels: ['thaw'], words: [],
    short: 'After coming back: devices resumed, interrupts on, user space running again.', more: '' }),
  entry({ id: 'return', term: 'return', section: 'timeline', labels: ['return'], words: ['jumps back', 'jump back', 'comes back'],
    short: 'A kernel resumes: its peer jumped to its jump-back entry, the pairs were swapped back, its kexec -e returns.', more: '' }),
  entry({ id: 'unload', term: 'unload', section: 'timeline', labels: ['unload'], words: ['kexec -u'],
    short: 'The loaded image is freed: its source, indirection, control and swap pages become free again.', more: '' }),
  entry({ id: 'shutdown', term: 'shutdown', section: 'timeline', labels: ['shutdown'], words: ['plain reboot'],
    short: 'A jump without preserve context: devices are reset and the old kernel is gone for good.', more: '' }),
  entry({ id: 'refused', term: 'refused', section: 'timeline', labels: ['refused'], words: [],
    short: 'A kexec call refused with an error number (EINVAL, ENOMEM, EBUSY...): the console says why.', more: '' }),
  entry({ id: 'fault', term: 'fault', section: 'timeline', labels: ['fault'], words: [],
    short: 'Something went wrong: a CPU trap, a panic, or a kexec bug the level injects.', more: '' }),
  entry({ id: 'end', term: 'end', section: 'timeline', labels: ['end'], words: [],
    short: 'The run ended: every goal met, the machine halted or powered off, or the instruction limit reached.', more: '' }),
];
