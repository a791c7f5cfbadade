/**
 * The baseline for page throughput: a bare Express route in the same kind of process, answering a
 * fixed HTML page of the size given (bytes), nothing else. Prints its address like the real server.
 */
import express from 'express';

const size = Number(process.argv[2] ?? 10_000);
const html = `<!doctype html><html><body>${'x'.repeat(Math.max(0, size - 41))}</body></html>`;
const app = express();
app.get('/', (_request, response) => {
  response.type('html').send(html);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`Bare server at http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
