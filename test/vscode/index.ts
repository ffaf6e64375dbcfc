/**
 * Mocha entry point for the suites that run inside VS Code's extension host (the
 * `extensionTestsPath` of @vscode/test-electron). Runs every `*.test.js` next to it, so a new
 * `test/vscode/<area>.test.ts` is picked up without editing this file. Filters:
 * APPRENTICE_TEST_GREP (mocha --grep); APPRENTICE_TEST_FOLDER runs the `*.test.js` of that subfolder
 * instead (`untrusted`: the launch in Restricted Mode). Writes counts to APPRENTICE_TEST_RESULTS and the reporter's
 * output to APPRENTICE_TEST_LOG when set (a remote extension host's console reaches no terminal).
 */
import { appendFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { format } from "node:util";
import Mocha from "mocha";

function teeReporterOutput(file: string): void {
    writeFileSync(file, "");
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const original = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => {
        appendFileSync(file, `${format(...args)}\n`);
        original(...args);
    };
}

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: "bdd", color: false, timeout: 120_000, reporter: "spec" });
    if (process.env.APPRENTICE_TEST_LOG) teeReporterOutput(process.env.APPRENTICE_TEST_LOG);
    const grep = process.env.APPRENTICE_TEST_GREP;
    if (grep) mocha.grep(grep);
    const dir = process.env.APPRENTICE_TEST_FOLDER
        ? path.join(__dirname, process.env.APPRENTICE_TEST_FOLDER)
        : __dirname;
    for (const file of readdirSync(dir)
        .filter((f) => f.endsWith(".test.js"))
        .sort()) {
        mocha.addFile(path.join(dir, file));
    }
    return new Promise((resolve, reject) => {
        const runner = mocha.run((failures) => {
            const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
            const results = process.env.APPRENTICE_TEST_RESULTS;
            if (results)
                writeFileSync(
                    results,
                    JSON.stringify({
                        passed: stats.passes,
                        failed: stats.failures,
                        skipped: stats.pending
                    })
                );
            if (failures > 0) reject(new Error(`${failures} test(s) failed inside VS Code`));
            else if (stats.passes === 0)
                reject(new Error(`No test ran${grep ? ` (grep: ${grep})` : ""}`));
            else resolve();
        });
    });
}
