import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_STATE, filterParams, parseState, stateToSearch, toggle } from './state.ts';

describe('dashboard URL state', () => {
  it('round-trips a full view through the query string', () => {
    const state = {
      ...EMPTY_STATE,
      actors: ['Baloch Liberation Army', 'A, B & C'],
      groups: ['Baloch separatist groups'],
      types: ['Battles'],
      admin1: ['Balochistan'],
      admin2: ['Kech'],
      sources: ['text'],
      from: '2023-01-01',
      to: '2023-06-30',
      metric: 'fatalities' as const,
      event: 'acled:123',
      site: 'reko-diq',
      radius: 100 as const,
      mapLayer: 'forecast' as const,
    };
    assert.deepEqual(parseState(stateToSearch(state)), state);
    // the radius is part of a shared site view; 50 km (the default) is left out of the link
    assert.match(stateToSearch(state), /radius=100/);
    assert.doesNotMatch(stateToSearch({ ...state, radius: 50 }), /radius/);
    assert.match(stateToSearch(state), /map=forecast/);
    assert.doesNotMatch(stateToSearch({ ...state, mapLayer: 'observed' }), /map=/);
  });

  it('drops malformed values instead of trusting them', () => {
    const state = parseState('?from=2023-13&to=yesterday&metric=evil&actor=&actor=%20X%20&actor=X');
    assert.equal(state.from, null);
    assert.equal(state.to, null);
    assert.equal(state.metric, 'events');
    assert.deepEqual(state.actors, ['X']);
    assert.equal(parseState('?radius=7000').radius, 50, 'only the radii the panel offers');
    assert.equal(parseState('?map=<script>').mapLayer, 'observed');
  });

  it('leaves defaults out of links and writes filters as the API names them', () => {
    assert.equal(stateToSearch(EMPTY_STATE), '');
    const q = filterParams({ ...EMPTY_STATE, actors: ['BLA'], types: ['Battles'], from: '2024-01-01' });
    assert.equal(q.toString(), 'actor=BLA&type=Battles&from=2024-01-01');
    assert.equal(filterParams({ ...EMPTY_STATE, from: '2024-01-01' }, { dates: false }).toString(), '');
    // the events read from one news article: ?source=text, as the API and the CLI's --source name it
    assert.equal(filterParams(parseState('?source=text')).toString(), 'source=text');
    assert.deepEqual(toggle(['a', 'b'], 'a'), ['b']);
    assert.deepEqual(toggle(['b'], 'a'), ['b', 'a']);
  });
});
