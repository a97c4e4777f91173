import { describe, expect, it } from 'vitest';
import { parseSharedFlags, SettingError, sharedFlags } from './settings.js';

describe('shared settings', () => {
  it('has upstream defaults', () => {
    const f = sharedFlags();
    expect(f.enumValue('opt_level')).toBe('none');
    expect(f.bool('enable_verifier')).toBe(true);
    expect(f.bool('regalloc_checker')).toBe(false);
    expect(f.number('probestack_size_log2')).toBe(12);
    expect(f.toString()).toBe('');
  });

  it('applies set lines in order', () => {
    const f = parseSharedFlags([
      { name: 'opt_level', value: 'speed' },
      { name: 'enable_probestack', value: undefined },
      { name: 'probestack_size_log2', value: '14' },
      { name: 'opt_level', value: 'speed_and_size' },
    ]);
    expect(f.enumValue('opt_level')).toBe('speed_and_size');
    expect(f.bool('enable_probestack')).toBe(true);
    expect(f.toString()).toBe('opt_level=speed_and_size enable_probestack=true probestack_size_log2=14');
  });

  it('names the setting and the accepted values in errors', () => {
    expect(() => parseSharedFlags([{ name: 'opt_levle', value: 'speed' }])).toThrow("unknown shared setting 'opt_levle'");
    expect(() => parseSharedFlags([{ name: 'opt_level', value: 'fast' }])).toThrow(
      "bad value for setting 'opt_level': 'fast' (expected one of none, speed, speed_and_size)",
    );
    expect(() => parseSharedFlags([{ name: 'is_pic', value: 'yes' }])).toThrow(/expected true or false/);
    expect(() => parseSharedFlags([{ name: 'probestack_size_log2', value: '-1' }])).toThrow(/integer from 0 to 63/);
    try {
      sharedFlags().with('nope', undefined);
    } catch (e) {
      expect(e).toBeInstanceOf(SettingError);
      expect((e as SettingError).setting).toBe('nope');
      expect((e as SettingError).kind).toBe('unknown');
    }
  });
});
