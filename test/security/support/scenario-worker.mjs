// Runs one exported function of a TypeScript module in a worker thread, so a test can give up on
// it (and end the thread) when it blocks, instead of blocking the test runner with it.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const scenarios = await import(workerData.module);
parentPort.postMessage(await scenarios[workerData.name](...workerData.args));
