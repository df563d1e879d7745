import { memoryLog } from '../src/log.js';

test('memoryLog keeps warnings and runs groups', async () => {
  const log = memoryLog();
  log.warning('careful');
  const value = await log.group('g', async () => 42);
  expect(value).toBe(42);
  expect(log.lines).toEqual(['warning: careful', 'group: g']);
});
