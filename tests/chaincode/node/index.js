'use strict';

// A small contract on fabric-contract-api, served as a service by fabric-shim: the launcher
// must run it exactly as it runs provena.chaincode.
const { Contract } = require('fabric-contract-api');

class KvContract extends Contract {
    constructor() {
        super('Kv');
    }

    async Put(ctx, key, value) {
        await ctx.stub.putState(key, Buffer.from(value));
        ctx.stub.setEvent('Put', Buffer.from(JSON.stringify({ key, value })));
        return value;
    }

    async Get(ctx, key) {
        const value = await ctx.stub.getState(key);
        return value.toString();
    }

    async Keys(ctx, start, end) {
        const keys = [];
        for await (const entry of ctx.stub.getStateByRange(start, end)) {
            keys.push(entry.key);
        }
        return JSON.stringify(keys);
    }

    async Owner(ctx, type, id) {
        const key = ctx.stub.createCompositeKey(type, [id]);
        await ctx.stub.putState(key, Buffer.from(ctx.clientIdentity.getMSPID()));
        return key;
    }

    async Whoami(ctx) {
        return JSON.stringify({
            mspid: ctx.clientIdentity.getMSPID(),
            role: ctx.clientIdentity.getAttributeValue('provena.role'),
            txid: ctx.stub.getTxID(),
            timestamp: ctx.stub.getDateTimestamp().toISOString(),
        });
    }

    async Fail(ctx, message) {
        throw new Error(message);
    }
}

module.exports.contracts = [KvContract];
