import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkLoop } from './work-loop.js';

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the workers\' work loop', () => {
  it('never overlaps passes, and runs one more pass for wakes that came during a pass', async () => {
    let running = 0;
    let passes = 0;
    let overlapped = false;
    const loop = new WorkLoop(async () => {
      running++;
      if (running > 1) overlapped = true;
      passes++;
      await tick();
      running--;
    });
    loop.wake();
    loop.wake();
    loop.wake();
    await tick(40);
    assert.equal(overlapped, false);
    assert.equal(passes, 2, 'the wakes during the first pass coalesce into one more');
    loop.wake();
    await tick(20);
    assert.equal(passes, 3);
  });

  it('stops: waits for the pass under way and refuses new ones', async () => {
    let finished = false;
    let passes = 0;
    const loop = new WorkLoop(async () => {
      passes++;
      await tick(10);
      finished = true;
    });
    loop.wake();
    await loop.stop();
    assert.equal(finished, true);
    assert.equal(loop.isStopped, true);
    loop.wake();
    await tick(20);
    assert.equal(passes, 1);
  });

  it('tells a pass whether it was woken meanwhile', async () => {
    const seen: boolean[] = [];
    let first = true;
    const loop = new WorkLoop(async () => {
      if (first) {
        first = false;
        loop.wake();
      }
      seen.push(loop.wokenSince);
    });
    loop.wake();
    await tick(20);
    assert.deepEqual(seen, [true, false]);
  });
});
