// `provena ledger bench` done by the official Node client: N submits, K in flight, each timed
// from proposal to commit; prints the same JSON line, plus this process's CPU time.
//
//   node bench.mjs PROFILE CHAINCODE FUNCTION N CONCURRENCY ARGS...   ({run}, {i} substituted)
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connectGateway, loadProfile, newGrpcClient } from './connection.mjs';

const [profilePath, chaincode, fn, n, concurrency, ...args] = process.argv.slice(2);
const total = Number(n);
const profile = loadProfile(profilePath);
const client = newGrpcClient(profile);
const gateway = connectGateway(profile, client);
const contract = gateway.getNetwork(profile.channel).getContract(chaincode);
const run = randomBytes(4).toString('hex');
const latencies = [];
let failed = 0;
let next = 0;

async function worker() {
    while (next < total) {
        const i = next++;
        const callArgs = args.map((a) => a.replaceAll('{run}', run).replaceAll('{i}', String(i)));
        const started = performance.now();
        try {
            await contract.submitTransaction(fn, ...callArgs);
            latencies.push(performance.now() - started);
        } catch {
            failed++;
        }
    }
}

const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(Array.from({ length: Math.min(Number(concurrency), total) }, worker));
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
gateway.close();
client.close();

latencies.sort((a, b) => a - b);
const percentile = (p) =>
    latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 100) / 100 : 0;
console.log(
    JSON.stringify({
        ok: latencies.length,
        failed,
        seconds: Math.round(seconds * 1000) / 1000,
        tps: seconds ? Math.round((latencies.length / seconds) * 10) / 10 : 0,
        p50_ms: percentile(0.5),
        p99_ms: percentile(0.99),
        cpu_ms_in_bench: Math.round((cpu.user + cpu.system) / 100) / 10,
    }),
);
