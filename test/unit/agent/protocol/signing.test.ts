import { describe, expect, it } from 'vitest';
import {
  MAX_CLOCK_SKEW_MS,
  NonceCache,
  SIGNATURE_HEADERS,
  signRequest,
  verifyRequest,
} from '../../../../agent/protocol/signing.ts';

const SECRET = 'a-per-host-secret-of-at-least-32-characters';
const NOW = 1_760_000_000_000;
const request = {
  method: 'POST',
  path: '/v1/commands',
  hostId: 'host-a',
  body: '{"commandId":"c1"}',
};

describe('signRequest and verifyRequest', () => {
  it('accepts a request signed with the same secret', () => {
    const headers = signRequest(SECRET, request, { now: NOW });

    const verified = verifyRequest(SECRET, { ...request, headers }, { now: NOW + 1000 });

    expect(verified).toEqual({
      ok: true,
      hostId: 'host-a',
      nonce: headers[SIGNATURE_HEADERS.nonce],
      timestamp: NOW,
    });
  });

  it.each([
    ['body', { body: '{"commandId":"c2"}' }],
    ['path', { path: '/v1/commands/other' }],
    ['method', { method: 'GET' }],
  ])('refuses a request whose %s was changed', (_field, change) => {
    const headers = signRequest(SECRET, request, { now: NOW });

    const verified = verifyRequest(SECRET, { ...request, ...change, headers }, { now: NOW });

    expect(verified).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a request that claims another host than it was signed for', () => {
    const headers = {
      ...signRequest(SECRET, request, { now: NOW }),
      [SIGNATURE_HEADERS.host]: 'host-b',
    };

    expect(verifyRequest(SECRET, { ...request, headers }, { now: NOW })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a request signed with another secret', () => {
    const headers = signRequest(`${SECRET}-other`, request, { now: NOW });

    expect(verifyRequest(SECRET, { ...request, headers }, { now: NOW }).ok).toBe(false);
  });

  it('refuses a request older or newer than the skew window', () => {
    const headers = signRequest(SECRET, request, { now: NOW });

    const late = verifyRequest(
      SECRET,
      { ...request, headers },
      { now: NOW + MAX_CLOCK_SKEW_MS + 1 },
    );
    const early = verifyRequest(
      SECRET,
      { ...request, headers },
      { now: NOW - MAX_CLOCK_SKEW_MS - 1 },
    );

    expect(late).toEqual({ ok: false, reason: 'stale' });
    expect(early).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a request without the signature headers', () => {
    expect(verifyRequest(SECRET, { ...request, headers: {} }, { now: NOW })).toEqual({
      ok: false,
      reason: 'missing-headers',
    });
  });

  it('reads headers whatever their case', () => {
    const signed = signRequest(SECRET, request, { now: NOW });
    const headers = Object.fromEntries(
      Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v]),
    );

    expect(verifyRequest(SECRET, { ...request, headers }, { now: NOW }).ok).toBe(true);
  });
});

describe('NonceCache', () => {
  it('accepts a nonce once and refuses it again within the TTL', () => {
    const cache = new NonceCache(1000);

    const first = cache.claim('n1', NOW);
    const replay = cache.claim('n1', NOW + 999);

    expect(first).toBe(true);
    expect(replay).toBe(false);
  });

  it('forgets nonces after the TTL', () => {
    const cache = new NonceCache(1000);
    cache.claim('n1', NOW);

    const later = cache.claim('n2', NOW + 1001);

    expect(later).toBe(true);
    expect(cache.size).toBe(1);
  });
});
