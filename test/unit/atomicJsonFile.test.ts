import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { AtomicJsonFile } from "../../src/extension/storage/atomicJsonFile";

interface History { turns: string[] }
const isHistory = (v: unknown): v is History => typeof v === "object" && v !== null && Array.isArray((v as History).turns);

if (process.env.APPRENTICE_ATOMIC_CHILD) {
    // Child mode: write ever larger histories until killed.
    const file = new AtomicJsonFile<History>(process.env.APPRENTICE_ATOMIC_CHILD);
    void (async () => {
        for (let n = 1; ; n++) {
            await file.write({ turns: Array.from({ length: n }, (_, i) => `turn ${i} ${"x".repeat(2000)}`) });
            if (n === 1) process.stdout.write("first write done\n");
        }
    })();
} else {
    describe("AtomicJsonFile", () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "apprentice-atomic-"));
        after(() => rmSync(dir, { recursive: true, force: true }));

        it("round-trips values and serializes concurrent writes (last one wins)", async () => {
            const file = new AtomicJsonFile<History>(path.join(dir, "sub", "a.json"), { validate: isHistory });
            assert.deepEqual(await file.read(), { value: undefined });
            await Promise.all([1, 2, 3].map((n) => file.write({ turns: [`v${n}`] })));
            assert.deepEqual((await file.read()).value, { turns: ["v3"] });
            assert.deepEqual(readdirSync(path.join(dir, "sub")), ["a.json"], "no temporary files are left");
        });

        it("moves a damaged file aside with a message, and keeps working", async () => {
            const target = path.join(dir, "history.json");
            writeFileSync(target, "{\"turns\": [\"half a wri");
            const file = new AtomicJsonFile<History>(target, { validate: isHistory, label: "chat history" });
            const result = await file.read();
            assert.equal(result.value, undefined);
            assert.match(result.notice ?? "", /chat history file could not be read because it is not valid JSON/);
            assert.ok(result.movedTo && existsSync(result.movedTo), "the damaged file is kept");
            assert.equal(readFileSync(result.movedTo, "utf8"), "{\"turns\": [\"half a wri", "nothing of it is lost");
            await file.write({ turns: ["fresh"] });
            assert.deepEqual((await file.read()).value, { turns: ["fresh"] });
            writeFileSync(target, "{\"wrong\": true}");
            assert.match((await file.read()).notice ?? "", /wrong shape/);
        });

        it("an interrupted write leaves the old content and no stray temporary file", async () => {
            const target = path.join(dir, "interrupted.json");
            const file = new AtomicJsonFile<History>(target, { validate: isHistory });
            await file.write({ turns: ["old"] });
            writeFileSync(`${target}.999-deadbeef.tmp`, "{\"turns\": [\"new but cut");
            assert.deepEqual((await file.read()).value, { turns: ["old"] });
            assert.equal(existsSync(`${target}.999-deadbeef.tmp`), false);
        });

        it("a writer killed (SIGKILL) at random moments never leaves a damaged file", async () => {
            const target = path.join(dir, "killed.json");
            for (let round = 0; round < 8; round++) {
                rmSync(target, { force: true });
                const child = spawn(process.execPath, [__filename], { env: { ...process.env, APPRENTICE_ATOMIC_CHILD: target }, stdio: ["ignore", "pipe", "ignore"] });
                // Kill at a different moment of the write loop each round, after the first write has landed
                // (waiting for the child instead of a fixed delay keeps this independent of machine load).
                await new Promise((r) => child.stdout!.once("data", r));
                await new Promise((r) => setTimeout(r, round * 13));
                child.kill("SIGKILL");
                await new Promise((r) => child.once("exit", r));
                const result = await new AtomicJsonFile<History>(target, { validate: isHistory }).read();
                assert.equal(result.notice, undefined, `round ${round}: ${result.notice}`);
                assert.ok(result.value && result.value.turns.length > 0, `round ${round}: the last complete write is there`);
            }
        });
    });
}
