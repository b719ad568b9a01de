import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  InvalidEventPatternError,
  matchesPattern,
  parseEventPattern,
} from '../../../../local/eventbridge/pattern.ts';

const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'Snapshot Available',
  source: 'slice-snapshots',
  account: '123456789012',
  time: '2026-01-31T12:00:00Z',
  region: 'eu-central-1',
  resources: ['arn:aws:ec2:eu-central-1:123456789012:instance/i-1', 'slc_01'],
  detail: {
    accountId: 'acc_1',
    snapshotId: 'snp_01',
    state: 'available',
    sizeBytes: 300,
    ratio: 0.5,
    fileName: 'disk.PNG',
    sourceIp: '10.0.0.33',
    tags: ['prod', 'eu'],
    counts: [1, 7],
    error: null,
    comment: '',
    progress: { percent: 40 },
    chunks: [
      { index: 0, stored: true },
      { index: 1, stored: false },
    ],
  },
};

type Case = [label: string, pattern: Record<string, unknown>];

function expectMatches(cases: Case[]): void {
  for (const [label, pattern] of cases) {
    expect(matchesPattern(pattern, event), label).toBe(true);
  }
}

function expectRefuses(cases: Case[]): void {
  for (const [label, pattern] of cases) {
    expect(matchesPattern(pattern, event), label).toBe(false);
  }
}

describe('matchesPattern', () => {
  describe('exact values', () => {
    it('matches a listed value, any of several, and nested fields', () => {
      expectMatches([
        ['one value', { source: ['slice-snapshots'] }],
        ['any of a list', { 'detail-type': ['Snapshot Failed', 'Snapshot Available'] }],
        ['nested', { detail: { state: ['available'], progress: { percent: [40] } } }],
        ['number', { detail: { sizeBytes: [300] } }],
        ['number in another notation', { detail: { sizeBytes: [3.0e2] } }],
        ['null', { detail: { error: [null] } }],
        ['empty string', { detail: { comment: [''] } }],
        ['boolean inside an array of objects', { detail: { chunks: { stored: [false] } } }],
      ]);
    });

    it('refuses other values, other types, missing fields and objects', () => {
      expectRefuses([
        ['other value', { source: ['aws.ec2'] }],
        ['case differs', { source: ['Slice-Snapshots'] }],
        ['string versus number', { detail: { sizeBytes: ['300'] } }],
        ['empty string is not null', { detail: { error: [''] } }],
        ['null is not empty string', { detail: { comment: [null] } }],
        ['missing field', { detail: { nothing: ['x'] } }],
        ['object is not a leaf', { detail: { progress: [40] } }],
        ['one field of several fails', { source: ['slice-snapshots'], region: ['us-east-1'] }],
      ]);
    });
  });

  describe('arrays in the event', () => {
    it('matches when any element matches', () => {
      expectMatches([
        ['resources', { resources: ['slc_01'] }],
        ['tags', { detail: { tags: ['eu', 'us'] } }],
        ['numbers', { detail: { counts: [7] } }],
      ]);
    });

    it('refuses when no element matches', () => {
      expectRefuses([['tags', { detail: { tags: ['us'] } }]]);
    });

    it('requires fields of one pattern object to match within the same array element', () => {
      expectMatches([['same element', { detail: { chunks: { index: [1], stored: [false] } } }]]);
      expectRefuses([['across elements', { detail: { chunks: { index: [0], stored: [false] } } }]]);
    });
  });

  describe('prefix', () => {
    it('matches strings starting with the prefix, ignoring case when asked', () => {
      expectMatches([
        ['prefix', { time: [{ prefix: '2026-01-31' }] }],
        ['ignore case', { detail: { fileName: [{ prefix: { 'equals-ignore-case': 'DISK.' } }] } }],
        ['array element', { detail: { tags: [{ prefix: 'pro' }] } }],
      ]);
    });

    it('refuses other strings, case differences and non-strings', () => {
      expectRefuses([
        ['other prefix', { time: [{ prefix: '2025' }] }],
        ['case differs', { source: [{ prefix: 'SLICE' }] }],
        ['number', { detail: { sizeBytes: [{ prefix: '3' }] } }],
        ['missing', { detail: { nothing: [{ prefix: '' }] } }],
      ]);
    });
  });

  describe('suffix', () => {
    it('matches strings ending with the suffix, ignoring case when asked', () => {
      expectMatches([
        ['suffix', { detail: { fileName: [{ suffix: '.PNG' }] } }],
        ['ignore case', { detail: { fileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }],
      ]);
    });

    it('refuses other endings and case differences', () => {
      expectRefuses([
        ['other', { detail: { fileName: [{ suffix: '.jpg' }] } }],
        ['case differs', { detail: { fileName: [{ suffix: '.png' }] } }],
      ]);
    });
  });

  describe('equals-ignore-case', () => {
    it('matches the same string in any case', () => {
      expectMatches([
        ['upper', { 'detail-type': [{ 'equals-ignore-case': 'SNAPSHOT AVAILABLE' }] }],
      ]);
    });

    it('refuses other strings and non-strings', () => {
      expectRefuses([
        ['other', { 'detail-type': [{ 'equals-ignore-case': 'snapshot failed' }] }],
        ['number', { detail: { sizeBytes: [{ 'equals-ignore-case': '300' }] } }],
      ]);
    });
  });

  describe('anything-but', () => {
    it('matches values other than the one or the list given', () => {
      expectMatches([
        ['string', { detail: { state: [{ 'anything-but': 'failed' }] } }],
        ['number', { detail: { sizeBytes: [{ 'anything-but': 100 }] } }],
        ['string list', { detail: { state: [{ 'anything-but': ['failed', 'deleted'] }] } }],
        ['number list', { detail: { sizeBytes: [{ 'anything-but': [100, 200] }] } }],
        ['prefix', { detail: { state: [{ 'anything-but': { prefix: 'fail' } }] } }],
        ['suffix', { detail: { fileName: [{ 'anything-but': { suffix: '.jpg' } }] } }],
        [
          'equals-ignore-case',
          { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['FAILED'] } }] } },
        ],
        ['wildcard', { detail: { fileName: [{ 'anything-but': { wildcard: '*.jpg' } }] } }],
        ['one array element is enough', { detail: { tags: [{ 'anything-but': 'prod' }] } }],
      ]);
    });

    it('refuses the excluded values and missing fields', () => {
      expectRefuses([
        ['string', { detail: { state: [{ 'anything-but': 'available' }] } }],
        ['number', { detail: { sizeBytes: [{ 'anything-but': 300 }] } }],
        ['string list', { detail: { state: [{ 'anything-but': ['available', 'failed'] }] } }],
        ['number list', { detail: { sizeBytes: [{ 'anything-but': [300, 400] }] } }],
        ['prefix', { detail: { state: [{ 'anything-but': { prefix: 'avail' } }] } }],
        ['suffix', { detail: { fileName: [{ 'anything-but': { suffix: '.PNG' } }] } }],
        [
          'equals-ignore-case',
          { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'AVAILABLE' } }] } },
        ],
        ['wildcard', { detail: { fileName: [{ 'anything-but': { wildcard: 'disk.*' } }] } }],
        ['missing field', { detail: { nothing: [{ 'anything-but': 'x' }] } }],
      ]);
    });
  });

  describe('numeric', () => {
    it('matches each comparison and a combined range', () => {
      expectMatches([
        ['=', { detail: { sizeBytes: [{ numeric: ['=', 300] }] } }],
        ['>', { detail: { sizeBytes: [{ numeric: ['>', 299] }] } }],
        ['>=', { detail: { sizeBytes: [{ numeric: ['>=', 300] }] } }],
        ['<', { detail: { sizeBytes: [{ numeric: ['<', 301] }] } }],
        ['<=', { detail: { sizeBytes: [{ numeric: ['<=', 300] }] } }],
        ['range', { detail: { ratio: [{ numeric: ['>', 0, '<=', 0.5] }] } }],
        ['array element', { detail: { counts: [{ numeric: ['>', 5] }] } }],
      ]);
    });

    it('refuses values outside and non-numbers', () => {
      expectRefuses([
        ['=', { detail: { sizeBytes: [{ numeric: ['=', 301] }] } }],
        ['>', { detail: { sizeBytes: [{ numeric: ['>', 300] }] } }],
        ['>=', { detail: { sizeBytes: [{ numeric: ['>=', 301] }] } }],
        ['<', { detail: { sizeBytes: [{ numeric: ['<', 300] }] } }],
        ['<=', { detail: { sizeBytes: [{ numeric: ['<=', 299] }] } }],
        ['range, open top', { detail: { ratio: [{ numeric: ['>', 0, '<', 0.5] }] } }],
        ['range, open bottom', { detail: { ratio: [{ numeric: ['>', 0.5, '<=', 1] }] } }],
        ['string', { detail: { state: [{ numeric: ['>', 0] }] } }],
      ]);
    });
  });

  describe('exists', () => {
    it('matches present leaves for true and absent ones for false', () => {
      expectMatches([
        ['present', { detail: { snapshotId: [{ exists: true }] } }],
        ['null is present', { detail: { error: [{ exists: true }] } }],
        ['absent', { detail: { sliceId: [{ exists: false }] } }],
        ['absent parent', { nothing: { below: [{ exists: false }] } }],
        ['an object is not a leaf', { detail: { progress: [{ exists: false }] } }],
        ['inside an array of objects', { detail: { chunks: { index: [{ exists: true }] } } }],
      ]);
    });

    it('refuses absent leaves for true and present ones for false', () => {
      expectRefuses([
        ['absent', { detail: { sliceId: [{ exists: true }] } }],
        ['present', { detail: { snapshotId: [{ exists: false }] } }],
        ['an object is not a leaf', { detail: { progress: [{ exists: true }] } }],
        ['inside an array of objects', { detail: { chunks: { index: [{ exists: false }] } } }],
      ]);
    });
  });

  describe('wildcard', () => {
    it('matches any run of characters at each asterisk', () => {
      expectMatches([
        ['middle', { 'detail-type': [{ wildcard: 'Snapshot*able' }] }],
        ['several', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }],
        ['empty run', { source: [{ wildcard: 'slice-*snapshots' }] }],
      ]);
      expect(matchesPattern({ key: [{ wildcard: 'a\\*b' }] }, { key: 'a*b' })).toBe(true);
    });

    it('refuses strings that do not fit and treats an escaped asterisk literally', () => {
      expectRefuses([
        ['other', { 'detail-type': [{ wildcard: 'Slice*' }] }],
        ['whole value', { source: [{ wildcard: 'slice' }] }],
      ]);
      expect(matchesPattern({ key: [{ wildcard: 'a\\*b' }] }, { key: 'axxb' })).toBe(false);
    });
  });

  describe('cidr', () => {
    it('matches IPv4 addresses inside the block and refuses others', () => {
      expectMatches([['inside', { detail: { sourceIp: [{ cidr: '10.0.0.0/24' }] } }]]);
      expectRefuses([['outside', { detail: { sourceIp: [{ cidr: '10.0.1.0/24' }] } }]]);
    });
  });

  describe('$or', () => {
    it('matches when any branch matches, alongside the other fields', () => {
      expectMatches([
        [
          'second branch',
          {
            source: ['slice-snapshots'],
            $or: [{ 'detail-type': ['Snapshot Failed'] }, { detail: { sizeBytes: [300] } }],
          },
        ],
        [
          'nested in detail',
          { detail: { $or: [{ state: ['failed'] }, { snapshotId: [{ prefix: 'snp_' }] }] } },
        ],
      ]);
    });

    it('refuses when no branch matches or another field fails', () => {
      expectRefuses([
        ['no branch', { $or: [{ source: ['a'] }, { source: ['b'] }] }],
        [
          'other field fails',
          { region: ['us-east-1'], $or: [{ source: ['slice-snapshots'] }, { source: ['b'] }] },
        ],
      ]);
    });
  });
});

describe('compilePattern', () => {
  it('compiles a valid pattern once and matches many events with it', () => {
    const pattern = compilePattern({ detail: { state: ['available'] } });

    const results = [
      pattern.matches(event),
      pattern.matches({ ...event, detail: { ...event.detail, state: 'failed' } }),
    ];

    expect(results).toEqual([true, false]);
  });

  it.each([
    ['not an object', ['source']],
    ['an empty object', {}],
    ['a bare value', { source: 'slice-snapshots' }],
    ['an empty value list', { source: [] }],
    ['an unknown operator', { source: [{ contains: 'x' }] }],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a non-string prefix', { source: [{ prefix: 1 }] }],
    ['a numeric comparison without a number', { n: [{ numeric: ['>', 'x'] }] }],
    ['an upper bound first', { n: [{ numeric: ['<', 5, '>', 1] }] }],
    ['two lower bounds', { n: [{ numeric: ['>', 1, '>', 2] }] }],
    ['an unknown numeric operator', { n: [{ numeric: ['!=', 1] }] }],
    ['a mixed anything-but list', { n: [{ 'anything-but': ['a', 1] }] }],
    ['an empty anything-but prefix', { n: [{ 'anything-but': { prefix: '' } }] }],
    ['a non-boolean exists', { n: [{ exists: 'yes' }] }],
    ['consecutive wildcards', { n: [{ wildcard: 'a**b' }] }],
    ['an invalid wildcard escape', { n: [{ wildcard: 'a\\b' }] }],
    ['a $or with one branch', { $or: [{ source: ['a'] }] }],
    ['a $or that is not a list', { $or: { source: ['a'] } }],
    ['an operator name as a field inside $or', { $or: [{ prefix: ['a'] }, { source: ['b'] }] }],
    ['a nested object as a value', { source: [['a']] }],
  ])('refuses %s', (_label, pattern) => {
    expect(() => compilePattern(pattern)).toThrow(InvalidEventPatternError);
  });
});

describe('parseEventPattern', () => {
  it('refuses text that is not JSON', () => {
    expect(() => parseEventPattern('{"source": [')).toThrow(/Malformed JSON/);
  });
});
