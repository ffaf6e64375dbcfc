/**
 * The tree the workspace-index suite indexes: real packages from the project's `node_modules` that
 * no one here wrote, mirrored into a temporary folder with hard links (a copy where links cannot be
 * made), so an "edit" can replace one file there without touching `node_modules`. Nested
 * `node_modules` folders and symbolic links are left out, as the index leaves them out anyway.
 */
import {
    copyFileSync,
    linkSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    renameSync,
    rmSync,
    writeFileSync
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** --quick: the TypeScript compiler package, ESLint and the language-server packages (about 700 files). */
export const QUICK_PACKAGES = [
    "typescript",
    "eslint",
    "vscode-jsonrpc",
    "vscode-languageserver-protocol",
    "vscode-languageserver"
];

export interface MirroredTree {
    root: string;
    /** What it mirrors, for the report. */
    source: string;
    files: number;
    dispose(): void;
}

function mirror(from: string, to: string, count: { files: number }): void {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
        const source = path.join(from, entry.name);
        const target = path.join(to, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules") mirror(source, target, count);
        } else if (entry.isFile()) {
            try {
                linkSync(source, target);
            } catch {
                copyFileSync(source, target);
            }
            count.files++;
        }
    }
}

/** Mirrors `packages` of `nodeModules` (all top-level packages when undefined) into a new temporary folder. */
export function mirrorTree(
    nodeModules: string,
    packages: readonly string[] | undefined
): MirroredTree {
    const base = mkdtempSync(path.join(os.tmpdir(), "apprentice-wsbench-"));
    const root = path.join(base, "tree");
    const count = { files: 0 };
    const names = packages ?? readdirSync(nodeModules).filter((n) => !n.startsWith("."));
    for (const name of names) mirror(path.join(nodeModules, name), path.join(root, name), count);
    return {
        root,
        source: packages
            ? packages.map((p) => `node_modules/${p}`).join(", ")
            : "node_modules (every top-level package)",
        files: count.files,
        dispose: () => rmSync(base, { recursive: true, force: true })
    };
}

/**
 * An edit of one mirrored file, as an editor saves it: new text written beside it and renamed over
 * it (which also breaks the hard link, so the original stays as it was). Returns the new text.
 */
export function appendToFile(file: string, addition: string): string {
    const text = `${readFileSync(file, "utf8")}\n${addition}\n`;
    const temporary = `${file}.wsbench.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    return text;
}
