import { describe, expect, it } from 'vitest';
import { shippedModel, virtualDir, virtualPath } from './model-files.js';

describe('model files for MuJoCo’s virtual file system', () => {
  it('joins paths with / and resolves . and .. whatever separator the host wrote', () => {
    expect(virtualPath('/hypermeta-1', 'cheetah.xml')).toBe('/hypermeta-1/cheetah.xml');
    expect(virtualPath('/hypermeta-1', './common/skybox.xml')).toBe('/hypermeta-1/common/skybox.xml');
    expect(virtualPath('/hypermeta-1', 'robot/../common\\materials.xml')).toBe(
      '/hypermeta-1/common/materials.xml',
    );
    expect(virtualDir('/hypermeta-1/common/skybox.xml')).toBe('/hypermeta-1/common');
    expect(virtualDir('/hypermeta-1')).toBe('/');
  });

  it('gives a shipped model as one file, and nothing for an unknown name', () => {
    const m = shippedModel('pendulum')!;
    expect([m.name, m.source, m.main, [...m.files.keys()]]).toEqual([
      'pendulum',
      'shipped',
      'pendulum.xml',
      ['pendulum.xml'],
    ]);
    expect(new TextDecoder().decode(m.files.get('pendulum.xml'))).toMatch(/^<mujoco model="pendulum">/);
    expect(shippedModel('walker')).toBeUndefined();
  });
});
