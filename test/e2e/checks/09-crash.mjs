// A person's view of an engine crash: one warning that says it is being restarted (not one per
// crash), and the status bar comes back to ready by itself.
import { readdirSync, readFileSync } from "node:fs";

/** Pids of engine processes started from the extension installed in this session. */
function enginePids(extensionsDir) {
    const pids = [];
    for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        try {
            const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
            if (cmdline.includes(extensionsDir) && cmdline.includes("engine.js"))
                pids.push(Number(entry));
        } catch {
            /* the process ended */
        }
    }
    return pids;
}

export const title =
    "a killed engine is restarted; the user is told once; the status bar returns to ready";

export async function run(session) {
    const { page } = session;
    const item = page.locator(".statusbar-item", { hasText: "Apprentice" }).first();
    let shot;
    const toasts = page.locator(".notification-toast", { hasText: "engine stopped unexpectedly" });
    for (let crash = 1; crash <= 2; crash++) {
        await item.locator(".codicon-sparkle").waitFor({ timeout: 120_000 });
        const pids = enginePids(session.extensionsDir);
        if (pids.length !== 1)
            throw new Error(
                `expected one engine process before crash ${crash}, found ${pids.length}`
            );
        process.kill(pids[0], "SIGKILL");
        await item.locator(".codicon-sparkle").waitFor({ state: "detached", timeout: 30_000 });
        await item.locator(".codicon-sparkle").waitFor({ timeout: 120_000 });
        const after = enginePids(session.extensionsDir);
        if (after.length !== 1 || after[0] === pids[0])
            throw new Error(
                `expected one new engine after crash ${crash}, found ${JSON.stringify(after)}`
            );
        if (crash === 1) {
            // The warning has a button, so it stays until dismissed; dismiss it like a user would.
            await toasts.first().waitFor({ timeout: 10_000 });
            shot = await session.screenshot("engine-restarted");
            await toasts.first().hover();
            await toasts.first().locator(".codicon-notifications-clear").click();
            await toasts.first().waitFor({ state: "detached", timeout: 10_000 });
        }
    }
    // VS Code replaces an identical open notification, so only a dismissed one shows a second warning.
    const again = await toasts.count();
    if (again !== 0)
        throw new Error(
            `the user was warned again after the second crash (${again} warning(s) showing)`
        );
    return { screenshot: shot, detail: "one warning for two crashes" };
}
