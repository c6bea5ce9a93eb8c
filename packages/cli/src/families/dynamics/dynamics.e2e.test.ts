import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as cliIn, type CliResult, expectUserError } from '../../reliability/harness.js';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the built binary, as a user would: dynamics on our shipped pendulum, simulated by MuJoCo.
const tmp = mkdtempSync(join(tmpdir(), 'hypermeta-dynamics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]): CliResult {
  return cliIn(tmp, ...args);
}

const small = ['--steps', '40', '--meta-batch', '8', '--variations', '16', '--hidden', '32,32'];

describe('hypermeta dynamics, end to end', () => {
  it('trains on the shipped pendulum and evaluates in range and extrapolation as JSON', () => {
    const run = join(tmp, 'pendulum');
    const t = cli(
      'train',
      '--task',
      'dynamics',
      '--env',
      'pendulum',
      ...small,
      '--context',
      '8',
      '--out',
      run,
    );
    expect(t.err).toMatch(/hypernet dynamics model on pendulum \(16 training variations/);
    expect(t.code).toBe(0);
    const e = cli('eval', '-c', run, '--json', '--variations', '8');
    expect(e.code).toBe(0);
    const r = JSON.parse(e.out);
    expect(r).toMatchObject({
      task: 'dynamics',
      env: 'pendulum',
      method: 'hypernet',
      context: 8,
      variations: 8,
    });
    for (const v of [r.oneStepNmse, r.ci95, r.horizonNmse.h10, r.horizonNmse.h30, r.adaptMsPerTask])
      expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(r.extrapolation.oneStepNmse)).toBe(true);
    expect(Object.keys(r.extrapolation.horizonNmse)).toEqual(['h10', 'h30']);
    // The normalisation statistics travel in the checkpoint's model config.
    const manifest = JSON.parse(
      readFileSync(join(run, 'checkpoints/step-000000040/checkpoint.json'), 'utf8'),
    );
    expect(manifest.model.norm.outStd).toHaveLength(2);

    // adapt: K transitions in, predicted next states out.
    const support = join(tmp, 'support.csv');
    writeFileSync(
      support,
      's0,s1,a0,next_s0,next_s1\n0.1,0,1,0.1,-0.1\n0.2,0.5,-1,0.21,0.4\n1,0,0,0.99,-0.16\n',
    );
    const out = join(tmp, 'next.csv');
    const a = cli('adapt', '-c', run, '--support', support, '--out', out);
    expect(a.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('next_s0,next_s1');
    expect(lines).toHaveLength(4);
  });

  it('trains the baselines on the same data', () => {
    for (const method of ['global', 'maml']) {
      const run = join(tmp, method);
      const t = cli(
        'train',
        '--task',
        'dynamics',
        '--method',
        method,
        ...small,
        '--steps',
        '10',
        '--out',
        run,
      );
      expect(t.code).toBe(0);
      const r = JSON.parse(cli('eval', '-c', run, '--json', '--variations', '4').out);
      expect(r.method).toBe(method);
      expect(Number.isFinite(r.oneStepNmse)).toBe(true);
    }
  });

  it('resumes to the same weights as an uninterrupted run (the data is simulated again, identically)', () => {
    const args = [
      '--task',
      'dynamics',
      '--steps',
      '12',
      '--meta-batch',
      '4',
      '--variations',
      '8',
      '--hidden',
      '16',
    ];
    const straight = join(tmp, 'straight');
    const resumed = join(tmp, 'resumed');
    expect(cli('train', ...args, '--out', straight).code).toBe(0);
    expect(cli('train', ...args, '--stop-at', '6', '--out', resumed).code).toBe(0);
    expect(cli('train', '--resume', resumed).code).toBe(0);
    const weights = (run: string) => readFileSync(join(run, 'checkpoints/step-000000012/weights.bin'));
    expect(weights(resumed).equals(weights(straight))).toBe(true);
  });

  it('refuses missing, malformed, actuator-less and oversized models with one line and exit 2', () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(tmp, name), text);
      return join(tmp, name);
    };
    const train = (...a: string[]) =>
      cli('train', '--task', 'dynamics', '--steps', '1', '--out', join(tmp, 'x'), ...a);
    expectUserError(train('--model-xml', join(tmp, 'none.xml')), /no such model file/);
    expectUserError(train('--model-xml', write('bad.xml', '<mujoco><worldbody>')), /MuJoCo cannot load/);
    const still =
      '<mujoco><worldbody><body><joint type="hinge"/><geom size="0.1"/></body></worldbody></mujoco>';
    expectUserError(train('--model-xml', write('still.xml', still)), /no actuator/);
    const bodies = Array.from(
      { length: 40 },
      (_, i) => `<body pos="${i} 0 1"><freejoint/><geom size="0.1"/></body>`,
    );
    const crowd = `<mujoco><worldbody>${bodies.join('')}</worldbody><actuator><motor joint="hinge"/></actuator></mujoco>`;
    const many = crowd.replace('<freejoint/>', '<joint name="hinge" type="hinge"/>');
    expectUserError(train('--model-xml', write('many.xml', many)), /state of \d+ values/);
    expectUserError(train('--env', 'nonesuch'), /unknown environment 'nonesuch'/);
  });
});
