/** The VS Code language id of a file from its extension, for the code fences of chunks in a prompt. */
import * as path from "node:path";

const BY_EXTENSION: Record<string, string> = {
    ts: "typescript", tsx: "typescriptreact", mts: "typescript", cts: "typescript", js: "javascript", jsx: "javascriptreact", mjs: "javascript", cjs: "javascript",
    py: "python", rs: "rust", go: "go", java: "java", kt: "kotlin", cs: "csharp", c: "c", h: "c", cc: "cpp", cpp: "cpp", hpp: "cpp", cxx: "cpp",
    rb: "ruby", php: "php", swift: "swift", scala: "scala", sh: "shellscript", bash: "shellscript", ps1: "powershell", lua: "lua", dart: "dart",
    md: "markdown", json: "json", jsonc: "jsonc", yaml: "yaml", yml: "yaml", toml: "toml", html: "html", css: "css", scss: "scss", less: "less",
    sql: "sql", vue: "vue", svelte: "svelte", xml: "xml", r: "r", jl: "julia", ex: "elixir", exs: "elixir", erl: "erlang", hs: "haskell", ml: "ocaml", zig: "zig"
};

export function languageIdOf(file: string): string {
    const ext = path.extname(file).slice(1).toLowerCase();
    return BY_EXTENSION[ext] ?? (ext || "plaintext");
}
