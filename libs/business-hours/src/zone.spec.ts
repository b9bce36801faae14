import { ZoneOffsets } from './zone';

const H = 3_600_000;

describe('ZoneOffsets', () => {
  // 29 February is a local date like any other (it once read as 1 March: a day off all leap day).
  it.each([
    ['America/New_York', '2028-03-01T01:00:00Z', -5],
    ['America/New_York', '2028-02-29T12:00:00Z', -5],
    ['Pacific/Auckland', '2028-02-29T00:00:00Z', 13],
    ['Pacific/Auckland', '2028-02-28T12:00:00Z', 13],
    ['Europe/London', '2028-02-29T12:00:00Z', 0],
    ['Europe/Copenhagen', '2028-02-29T23:30:00Z', 1],
    ['America/New_York', '2028-03-12T07:00:00Z', -4],
    ['Europe/London', '2026-07-01T12:00:00Z', 1],
  ])('in %s the offset at %s is %d h', (zone, at, hours) => {
    expect(ZoneOffsets.of(zone).offsetAt(Date.parse(at)) / H).toBe(hours);
  });
});
