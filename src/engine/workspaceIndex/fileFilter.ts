/**
 * Which files of a workspace folder the index may read: never `.git` or `node_modules` folders,
 * nothing a `.gitignore` (at any level) or the user's `files.exclude` leaves out, no file that
 * usually holds secrets, no huge and no binary file.
 */
import ignore, { type Ignore } from "ignore";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import picomatch from "picomatch";

/** Files larger than this are not indexed (generated bundles, data dumps). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Folders never walked into, whatever the ignore files say. */
const ALWAYS_SKIPPED_FOLDERS = new Set([".git", ".hg", ".svn", "node_modules", ".apprentice"]);
/** Extensions of files that are binary or generated, skipped without reading them. */
const BINARY_EXTENSIONS = new Set([
    "png",
    "jpg",
    "jpeg",
    "gif",
    "bmp",
    "ico",
    "webp",
    "avif",
    "tiff",
    "psd",
    "pdf",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "xz",
    "7z",
    "rar",
    "jar",
    "war",
    "exe",
    "dll",
    "so",
    "dylib",
    "o",
    "a",
    "lib",
    "obj",
    "class",
    "pyc",
    "pyo",
    "wasm",
    "node",
    "bin",
    "dat",
    "db",
    "sqlite",
    "gguf",
    "onnx",
    "pt",
    "pth",
    "safetensors",
    "mp3",
    "mp4",
    "mov",
    "avi",
    "mkv",
    "wav",
    "flac",
    "ogg",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "map",
    "lock",
    "vsix"
]);

export type SkipReason = "ignored" | "excluded" | "secret" | "tooLarge" | "binary";

export class FileFilter {
    /** `.gitignore` rules per folder (absolute path), null when the folder has none. */
    private readonly gitignores = new Map<string, Ignore | null>();
    private readonly excluded: (path: string) => boolean;

    constructor(
        private readonly root: string,
        exclude: readonly string[],
        private readonly isSecret: (absolutePath: string) => boolean
    ) {
        const matchers = exclude
            .filter((g) => g.trim().length > 0)
            .map((g) => picomatch(g.replace(/^\.\//, ""), { dot: true }));
        this.excluded = (relative) => matchers.some((m) => m(relative));
    }

    /** Reads the `.gitignore` of a folder (once); call before asking about its entries. */
    async loadFolder(folder: string): Promise<void> {
        if (this.gitignores.has(folder)) return;
        try {
            const text = await readFile(path.join(folder, ".gitignore"), "utf8");
            this.gitignores.set(folder, ignore().add(text));
        } catch {
            this.gitignores.set(folder, null);
        }
    }

    /** Forgets a folder's `.gitignore` (it changed). */
    forgetFolder(folder: string): void {
        this.gitignores.delete(folder);
    }

    /** Whether an entry (file or folder) is left out by name, `.gitignore` or `files.exclude`. Its parent folders must be loaded. */
    skipsEntry(absolutePath: string, isFolder: boolean): SkipReason | undefined {
        const relative = toPosix(path.relative(this.root, absolutePath));
        if (relative === "" || relative.startsWith(".."))
            return relative === "" ? undefined : "excluded";
        const name = path.basename(absolutePath);
        if (isFolder && ALWAYS_SKIPPED_FOLDERS.has(name)) return "ignored";
        if (this.excluded(relative) || (isFolder && this.excluded(`${relative}/`)))
            return "excluded";
        // Every .gitignore from the root down to the entry's folder, each with the path relative to it.
        let folder = path.dirname(absolutePath);
        const chain: string[] = [];
        while (folder.length >= this.root.length) {
            chain.push(folder);
            if (folder === this.root) break;
            const up = path.dirname(folder);
            if (up === folder) break;
            folder = up;
        }
        for (const dir of chain) {
            const rules = this.gitignores.get(dir);
            if (!rules) continue;
            const rel = toPosix(path.relative(dir, absolutePath)) + (isFolder ? "/" : "");
            if (rules.ignores(rel)) return "ignored";
        }
        if (!isFolder) {
            if (this.isSecret(absolutePath)) return "secret";
            const ext = name.includes(".")
                ? name.slice(name.lastIndexOf(".") + 1).toLowerCase()
                : "";
            if (BINARY_EXTENSIONS.has(ext) || /\.min\.(?:js|css)$/i.test(name)) return "binary";
        }
        return undefined;
    }

    /** Loads the `.gitignore` files of every folder from the root down to `absolutePath`'s folder. */
    async loadChain(absolutePath: string): Promise<void> {
        const folders: string[] = [];
        let folder = path.dirname(absolutePath);
        while (folder.length >= this.root.length) {
            folders.unshift(folder);
            if (folder === this.root) break;
            const up = path.dirname(folder);
            if (up === folder) break;
            folder = up;
        }
        for (const f of folders) await this.loadFolder(f);
    }

    /** Whether any folder between the root and the file is skipped (for a file reported by a watcher). */
    skipsAncestor(absolutePath: string): boolean {
        let folder = path.dirname(absolutePath);
        while (folder.length > this.root.length) {
            if (this.skipsEntry(folder, true)) return true;
            const up = path.dirname(folder);
            if (up === folder) break;
            folder = up;
        }
        return false;
    }
}

/** Whether file content looks binary (a NUL byte in its first 8 KiB). */
export function looksBinary(content: Buffer): boolean {
    return content.subarray(0, 8192).includes(0);
}

export function toPosix(p: string): string {
    return p.split(path.sep).join("/");
}

export function isUnder(root: string, file: string): boolean {
    const relative = path.relative(root, file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
