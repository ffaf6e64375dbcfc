// Fails when any import circle exists among the project's TypeScript files (type-only imports count too).
// Part of `npm run lint`. Usage: node scripts/check-cycles.mjs [DIR …] (default: src test scripts)
import { parseCircular, parseDependencyTree, prettyCircular } from "dpdm";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The import circles among the .ts/.mts files under `dirs` (relative to `cwd`), each as a list of files. */
export async function findImportCycles(dirs, cwd) {
    const entries = dirs.map((dir) => path.join(cwd, dir, "**/*.{ts,mts}"));
    const tree = await parseDependencyTree(entries, {
        context: cwd,
        extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".json"],
        js: [".ts", ".tsx", ".mts", ".js", ".mjs"],
        include: /\.(ts|tsx|mts|js|mjs)$/,
        exclude: /node_modules/,
        transform: false,
        skipDynamicImports: false,
        progress: false
    });
    return parseCircular(tree);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["src", "test", "scripts"];
    const cycles = await findImportCycles(dirs, process.cwd() === root ? root : process.cwd());
    if (cycles.length > 0) {
        console.error(
            `Import circles (${cycles.length}); break each by moving the shared part into a module both can import:`
        );
        console.error(prettyCircular(cycles, "  "));
        process.exit(1);
    }
    console.log(`No import circles in ${dirs.join(", ")}.`);
}
