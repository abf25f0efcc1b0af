import { h } from '../../svg/node.ts';
import * as api from '../api.ts';
import { byId, show } from '../dom.ts';
import type { ViewState } from '../state.ts';

/** Checks the typed claim within the current filters and shows the verdict with its figures. */
export async function runClaim(state: ViewState): Promise<void> {
  const text = byId<HTMLTextAreaElement>('claim-input').value.trim();
  const target = byId('claim-result');
  if (!text) return;
  show(target, h('p', { class: 'muted' }, 'Checking…'));
  try {
    const result = await api.checkClaim(text, state);
    const tone = /^consistent|support|confirm/i.test(result.verdict)
      ? 'good'
      : /inconsistent|contra|refut/i.test(result.verdict)
        ? 'bad'
        : 'neutral';
    show(
      target,
      h('div', { class: `verdict ${tone}`, 'data-verdict': result.verdict }, result.verdict),
      result.summary ? h('p', { class: 'claim-summary' }, result.summary) : null,
      result.details.length
        ? h(
            'ul',
            { class: 'claim-details' },
            result.details.slice(0, 8).map((d) => h('li', {}, d)),
          )
        : null,
    );
  } catch (error) {
    show(target, h('p', { class: 'error' }, (error as Error).message));
  }
}
