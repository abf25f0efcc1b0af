import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACLED_TAXONOMY, GTD_ATTACK_TYPES } from '../../schema/index.ts';
import { acledTypeOfGtd } from './to-event.ts';

const incident = (attackType: string | null, more: Partial<Parameters<typeof acledTypeOfGtd>[0]> = {}) =>
  acledTypeOfGtd({ attackType, suicide: false, targetType: null, weaponType: null, ...more });

describe('acledTypeOfGtd', () => {
  it('bombings are explosions: suicide bombs when GTD says suicide, else IEDs', () => {
    assert.deepEqual(incident('Bombing/Explosion', { suicide: true }), [
      'Explosions/Remote violence',
      'Suicide bomb',
    ]);
    assert.deepEqual(incident('Bombing/Explosion'), [
      'Explosions/Remote violence',
      'Remote explosive/landmine/IED',
    ]);
  });

  it('armed assaults are battles against armed forces, attacks on civilians otherwise', () => {
    assert.deepEqual(incident('Armed Assault', { targetType: 'Military' }), ['Battles', 'Armed clash']);
    assert.deepEqual(incident('Armed Assault', { targetType: 'Police' }), ['Battles', 'Armed clash']);
    assert.deepEqual(incident('Armed Assault', { targetType: 'Private Citizens & Property' }), [
      'Violence against civilians',
      'Attack',
    ]);
  });

  it('kidnappings are abductions; facility attacks depend on the weapon; unknown stays unknown', () => {
    assert.deepEqual(incident('Hostage Taking (Kidnapping)'), [
      'Violence against civilians',
      'Abduction/forced disappearance',
    ]);
    assert.deepEqual(incident('Assassination'), ['Violence against civilians', 'Attack']);
    assert.deepEqual(incident('Facility/Infrastructure Attack', { weaponType: 'Explosives' }), [
      'Explosions/Remote violence',
      'Remote explosive/landmine/IED',
    ]);
    assert.deepEqual(incident('Facility/Infrastructure Attack', { weaponType: 'Incendiary' }), [
      'Strategic developments',
      'Looting/property destruction',
    ]);
    assert.deepEqual(incident('Unknown'), [null, null]);
    assert.deepEqual(incident(null), [null, null]);
  });

  it('every answer is in ACLED’s taxonomy', () => {
    const types = GTD_ATTACK_TYPES.filter((t) => t !== 'Unknown');
    for (const attackType of types) {
      for (const suicide of [true, false]) {
        const [type, sub] = incident(attackType, {
          suicide,
          weaponType: 'Explosives',
          targetType: 'Military',
        });
        assert.ok(
          type &&
            (ACLED_TAXONOMY[type as keyof typeof ACLED_TAXONOMY] as readonly string[]).includes(
              sub as string,
            ),
          `${attackType}: ${type}/${sub}`,
        );
      }
    }
  });
});
