/** Command ids, once. They match `contributes.commands` in package.json. */
export const Commands = {
    restartEngine: "apprentice.restartEngine",
    selectModelFile: "apprentice.selectModelFile",
    showLog: "apprentice.showLog",
    openSettings: "apprentice.openSettings",
    showMenu: "apprentice.showMenu",
    setBackendApiKey: "apprentice.setBackendApiKey",
    checkBackend: "apprentice.checkBackend"
} as const;
