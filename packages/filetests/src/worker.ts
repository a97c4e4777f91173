// Worker-thread entry: runs the files the runner posts, one at a time, and
// posts each outcome back. Loaded only from the compiled package.

import { parentPort } from 'node:worker_threads';
import { runTestFile, type WorkerReply, type WorkerRequest } from './runner.js';

const port = parentPort;
if (port === null) throw new Error('worker.js must run as a worker thread');
port.on('message', (req: WorkerRequest) => {
  const reply: WorkerReply = { index: req.index, outcome: runTestFile(req.path, { bless: req.bless }) };
  port.postMessage(reply);
});
