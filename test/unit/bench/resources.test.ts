/** The /proc readers behind peak memory and CPU per query, the memory sampler and the scan-ceiling loops. */
import { describe, expect, it } from 'vitest';
import { parseProcStat, parseProcStatus, parseSmapsRollupPss, readProcStat, readStatusMemory } from '../../../bench/process-stats.js';
import { MemorySampler, selfProbe, type ResourceProbe } from '../../../bench/resource-probe.js';
import { measureScanCeiling, SCAN_KERNELS } from '../../../bench/scan-ceiling.js';

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
VmPeak:\t 1234568 kB
VmSize:\t 1200000 kB
VmHWM:\t  307200 kB
VmRSS:\t  204800 kB
RssAnon:\t  150000 kB
Threads:\t11
`;

describe('/proc parsing', () => {
  it('reads VmRSS and VmHWM in bytes from status', () => {
    expect(parseProcStatus(STATUS)).toEqual({ rssBytes: 204800 * 1024, peakBytes: 307200 * 1024 });
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS\n')).toEqual({ rssBytes: null, peakBytes: null });
  });

  it('reads Pss from smaps_rollup', () => {
    const text = '55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:  10240 kB\nPss:   4096 kB\nPss_Anon:  1024 kB\n';
    expect(parseSmapsRollupPss(text)).toBe(4096 * 1024);
  });

  it('reads parent and CPU ticks from stat, whatever the command name holds', () => {
    const stat = '4242 (node (worker) 1) S 4000 4242 4000 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 11 0 100 0 0';
    expect(parseProcStat(stat)).toEqual({ parentPid: 4000, cpuSeconds: 3, childrenCpuSeconds: 0.1 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads this process', () => {
    expect(readStatusMemory(process.pid).rssBytes).toBeGreaterThan(1 << 20);
    expect(readProcStat(process.pid)?.parentPid).toBe(process.ppid);
  });
});

describe('memory sampler', () => {
  it('keeps the highest sample, or the kernel peak when higher', async () => {
    const samples = [100, 300, 200];
    let kernelPeak: number | null = null;
    const probe: ResourceProbe = {
      memoryMethod: 'test',
      memoryBytes: () => samples.shift() ?? 150,
      resetPeak: () => true,
      peakBytes: () => kernelPeak,
      cpuSeconds: () => null,
    };
    const sampler = new MemorySampler(probe, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sampler.stop()).toBe(300);
    kernelPeak = 999;
    expect(new MemorySampler(probe, 1000).stop()).toBe(999);
  });

  it('samples this process', () => {
    const probe = selfProbe();
    expect(new MemorySampler(probe).stop()).toBeGreaterThan(1 << 20);
    expect(probe.cpuSeconds()).toBeGreaterThan(0);
  });
});

describe('scan ceiling', () => {
  it('times each typed-array loop', () => {
    for (const kernel of SCAN_KERNELS) {
      const ceiling = measureScanCeiling(kernel, 10_000);
      expect(ceiling.rows).toBe(10_000);
      expect(ceiling.rowsPerSecond).toBeGreaterThan(1e6);
    }
  });
});
