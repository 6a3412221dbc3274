// The official Node Gateway client, one operation per run, one JSON line per result.
//
//   node client.mjs PROFILE evaluate CHAINCODE FUNCTION [ARGS...]
//   node client.mjs PROFILE submit CHAINCODE FUNCTION [ARGS...]
//   node client.mjs PROFILE conflict CHAINCODE FUNCTION [ARGS...]   (the same call twice, endorsed
//                                                                   before either is submitted)
//   node client.mjs PROFILE chaincode-events CHAINCODE START_BLOCK COUNT [RESUME_AFTER]
//                                                (prints the checkpoint before resuming)
//   node client.mjs PROFILE block-events START_BLOCK COUNT
//   node client.mjs PROFILE filtered-block-events START_BLOCK COUNT
//
// Errors print as {"error": {...}} with the client's own error class, code and details.
import { checkpointers } from '@hyperledger/fabric-gateway';
import { connectGateway, loadProfile, newGrpcClient } from './connection.mjs';

const text = (bytes) => Buffer.from(bytes).toString('utf8');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const print = (value) => console.log(JSON.stringify(value));

function statusLine(status) {
    return {
        transaction_id: status.transactionId,
        block_number: Number(status.blockNumber),
        code: status.code,
        successful: status.successful,
    };
}

async function take(iterable, count, each) {
    let seen = 0;
    try {
        for await (const item of iterable) {
            each(item);
            if (++seen >= count) {
                break;
            }
        }
    } finally {
        iterable.close();
    }
}

function eventLine(event) {
    return {
        block_number: Number(event.blockNumber),
        transaction_id: event.transactionId,
        chaincode_name: event.chaincodeName,
        event_name: event.eventName,
        payload: text(event.payload),
    };
}

const operations = {
    async evaluate(network, [chaincode, fn, ...args]) {
        const result = await network.getContract(chaincode).evaluateTransaction(fn, ...args);
        print({ result: text(result) });
    },

    async submit(network, [chaincode, fn, ...args]) {
        const submitted = await network.getContract(chaincode).submitAsync(fn, { arguments: args });
        const status = await submitted.getStatus();
        print({ result: text(submitted.getResult()), ...statusLine(status) });
    },

    async conflict(network, [chaincode, fn, ...args]) {
        const contract = network.getContract(chaincode);
        const endorsed = [];
        for (let i = 0; i < 2; i++) {
            endorsed.push(await contract.newProposal(fn, { arguments: args }).endorse());
        }
        for (const transaction of endorsed) {
            const submitted = await transaction.submit();
            print(statusLine(await submitted.getStatus()));
        }
    },

    async 'chaincode-events'(network, [chaincode, startBlock, count, resumeAfter]) {
        const options = { startBlock: BigInt(startBlock) };
        if (resumeAfter === undefined) {
            await take(await network.getChaincodeEvents(chaincode, options), Number(count), (e) =>
                print(eventLine(e)),
            );
            return;
        }
        // read RESUME_AFTER events, print the checkpoint, then resume from it on a new stream
        const checkpointer = checkpointers.inMemory();
        await take(await network.getChaincodeEvents(chaincode, options), Number(resumeAfter), (e) => {
            print({ ...eventLine(e), stream: 1 });
            checkpointer.checkpointChaincodeEvent(e);
        });
        print({
            checkpoint: {
                block_number: Number(checkpointer.getBlockNumber()),
                transaction_id: checkpointer.getTransactionId(),
            },
        });
        const resumed = await network.getChaincodeEvents(chaincode, { checkpoint: checkpointer });
        await take(resumed, Number(count) - Number(resumeAfter), (e) => print({ ...eventLine(e), stream: 2 }));
    },

    async 'block-events'(network, [startBlock, count]) {
        const blocks = await network.getBlockEvents({ startBlock: BigInt(startBlock) });
        await take(blocks, Number(count), (block) => {
            const header = block.getHeader();
            print({
                number: Number(header.getNumber()),
                previous_hash: hex(header.getPreviousHash_asU8()),
                data_hash: hex(header.getDataHash_asU8()),
                transactions: block.getData().getDataList().length,
                filter: Array.from(block.getMetadata().getMetadataList_asU8()[2] ?? []),
            });
        });
    },

    async 'filtered-block-events'(network, [startBlock, count]) {
        const blocks = await network.getFilteredBlockEvents({ startBlock: BigInt(startBlock) });
        await take(blocks, Number(count), (block) =>
            print({
                number: Number(block.getNumber()),
                channel: block.getChannelId(),
                transactions: block.getFilteredTransactionsList().map((tx) => ({
                    transaction_id: tx.getTxid(),
                    code: tx.getTxValidationCode(),
                })),
            }),
        );
    },
};

function errorLine(error) {
    return {
        error: {
            class: error.constructor.name,
            message: error.message,
            code: error.code ?? null,
            transaction_id: error.transactionId ?? null,
            details: (error.details ?? []).map((d) => ({
                address: d.address,
                msp_id: d.mspId,
                message: d.message,
            })),
        },
    };
}

async function main() {
    const [profilePath, operation, ...args] = process.argv.slice(2);
    const run = operations[operation];
    if (!run) {
        throw new Error(`unknown operation ${operation}`);
    }
    const profile = loadProfile(profilePath);
    const client = newGrpcClient(profile);
    const gateway = connectGateway(profile, client);
    try {
        await run(gateway.getNetwork(profile.channel), args);
    } catch (error) {
        print(errorLine(error));
        process.exitCode = 1;
    } finally {
        gateway.close();
        client.close();
    }
}

await main();
