// Starts the fauxqs S3+SQS emulator for the integration tests.
//
// fauxqs's own CLI (`fauxqs`, reading FAUXQS_PORT) always binds 0.0.0.0; the tests only need loopback, so this
// launcher builds the same app through fauxqs's public `buildApp` and listens on 127.0.0.1. FAUXQS_PORT picks the
// port (0 = any free port, the default). Once listening it prints one line, `FAUXQS_LISTENING <url>`, which the
// AwsEndpointFixture waits for. It exits when its stdin closes or when the process named by FAUXQS_PARENT_PID is gone,
// so it never outlives the test process that owns it.
// Queue URLs are built from the request's Host header (no FAUXQS_HOST), so they point back at this listener.
import { buildApp } from "fauxqs";

const port = Number.parseInt(process.env.FAUXQS_PORT ?? "0", 10);
const app = buildApp({ logger: process.env.FAUXQS_LOGGER === "true", defaultRegion: process.env.FAUXQS_DEFAULT_REGION });
// fauxqs 1.9.2 reads a CompleteMultipartUpload <Part> only when it holds exactly PartNumber and ETag; S3 wants each
// part's checksum there too when the upload was created with one (TrailSieve's sink sends ChecksumCRC32). Drop those
// elements before fauxqs parses the body, so the emulator completes the upload as S3 does (it verifies no checksum).
app.addHook("preHandler", async (request) => {
  if (request.method === "POST" && request.query && "uploadId" in request.query && request.body) {
    const text = Buffer.isBuffer(request.body) ? request.body.toString("utf-8") : String(request.body);
    request.body = Buffer.from(text.replace(/<Checksum(CRC32C?|CRC64NVME|SHA1|SHA256)>[^<]*<\/Checksum\1>/g, ""), "utf-8");
  }
});
const address = await app.listen({ port, host: "127.0.0.1" });
process.stdout.write(`FAUXQS_LISTENING ${address}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 2000).unref(); // never hang on close
  await app.close();
  process.exit(0);
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

const parentPid = Number.parseInt(process.env.FAUXQS_PARENT_PID ?? "0", 10);
if (parentPid > 0) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      stop();
    }
  }, 1000).unref();
}
