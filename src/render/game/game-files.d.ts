// The generated module of bundled game files (src/cli/serve.ts, gameFilesPlugin): repo-relative
// path -> text for levels/**, assets/os/** and src/kexec/*.S.
declare module 'jumpback:game-files' {
  const files: Readonly<Record<string, string>>;
  export default files;
}
