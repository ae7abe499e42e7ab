// The per-package analysis budget: a package author decides how much work each file is, so analysis stops
// when a package has cost more than an honest one ever does, and the package is then unscannable (a Gap)
// rather than a job that stalls. Time is the analysing thread's CPU time (steady on a loaded runner), with a
// wall-clock bound for a thread starved of CPU; nodes and decoded characters bound memory and work.

export interface AnalysisBudget {
  /** CPU milliseconds of the analysing thread for one package. */
  cpuMs: number;
  /** Wall-clock milliseconds for one package. */
  wallMs: number;
  /** Syntax-tree nodes of one file (the collector's memory grows with them: about 200 bytes each). */
  fileNodes: number;
  /** Bytes of wasm memory the parser may grow to (deep nesting and error recovery grow it fastest). */
  parserHeapBytes: number;
  /** Characters decoded from encoded literals per package (each decoded payload is parsed again). */
  decodedChars: number;
}

/**
 * Generous: the largest honest packages measured take a few seconds; an ordinary module has about 0.2 nodes
 * per character (0.8M at the 4 MB parse limit) and grows the parser's memory by under 100 MB, while
 * generated hostile shapes reach 2 nodes per character (1 MB of `)(:` costs 9 s and 450 MB past this).
 */
export const DEFAULT_BUDGET: Readonly<AnalysisBudget> = Object.freeze({
  cpuMs: 120_000,
  wallMs: 480_000,
  fileNodes: 1_500_000,
  parserHeapBytes: 512 * 1024 * 1024,
  decodedChars: 32 * 1024 * 1024,
});

/** The budget for `analysis-budget-seconds`: that much CPU time, and four times it in wall-clock time. */
export function budgetFromSeconds(seconds: number): Partial<AnalysisBudget> {
  return { cpuMs: seconds * 1000, wallMs: seconds * 4000 };
}

export type BudgetStage = 'parse' | 'rules' | 'payload decoding';

/** Elapsed CPU and wall milliseconds since an arbitrary origin. */
export type BudgetClock = () => { cpuMs: number; wallMs: number };

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;

/** This thread's CPU time where Node.js can tell it (worker threads share the process's), else the process's. */
export const defaultClock: BudgetClock = () => {
  const used = threadCpuUsage ? threadCpuUsage.call(process) : process.cpuUsage();
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() };
};

const CHECK_MS = 10;

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;

/** Measures one package's analysis against its budget. */
export class BudgetMeter {
  readonly limits: AnalysisBudget;
  private readonly start: { cpuMs: number; wallMs: number };
  private decoded = 0;
  private nextCheck = 0;
  /** The limit that ran out, in words; set once. */
  exceeded?: string;

  constructor(
    limits: Partial<AnalysisBudget> = {},
    private readonly clock: BudgetClock = defaultClock,
  ) {
    this.limits = { ...DEFAULT_BUDGET, ...limits };
    this.start = clock();
  }

  /** True once a limit is spent (and stays true). */
  spent(): boolean {
    if (this.exceeded) return true;
    // Reading the CPU clock is a system call that cost 8% of extraction when asked per file and per parse
    // step: the real clock is read at most every CHECK_MS of wall-clock time.
    if (this.clock === defaultClock) {
      const wall = performance.now();
      if (wall < this.nextCheck) return false;
      this.nextCheck = wall + CHECK_MS;
    }
    const now = this.clock();
    if (now.cpuMs - this.start.cpuMs > this.limits.cpuMs)
      this.exceeded = `${seconds(this.limits.cpuMs)} of CPU time`;
    else if (now.wallMs - this.start.wallMs > this.limits.wallMs)
      this.exceeded = `${seconds(this.limits.wallMs)} of wall-clock time`;
    return this.exceeded !== undefined;
  }

  /** Counts decoded characters; true once the decoding allowance is spent. */
  decode(chars: number): boolean {
    this.decoded += chars;
    if (this.decoded > this.limits.decodedChars && !this.exceeded)
      this.exceeded = `${this.limits.decodedChars} characters decoded from encoded literals`;
    return this.spent();
  }

  /**
   * What is left of the package's time and decoding allowances, for a further analysis of the same package
   * (its unit, src/features/unit.ts) that must not add a budget of its own.
   */
  remaining(): Pick<AnalysisBudget, 'cpuMs' | 'wallMs' | 'decodedChars'> {
    const now = this.clock();
    return {
      cpuMs: Math.max(0, this.limits.cpuMs - (now.cpuMs - this.start.cpuMs)),
      wallMs: Math.max(0, this.limits.wallMs - (now.wallMs - this.start.wallMs)),
      decodedChars: Math.max(0, this.limits.decodedChars - this.decoded),
    };
  }

  /** Marks a limit found by someone else (the parser's node or memory bound) as the one that ran out. */
  fail(limit: string): void {
    this.exceeded ??= limit;
  }
}
