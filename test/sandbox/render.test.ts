import { describe, expect, it } from 'vitest';
import { buttonsOf, renderMessage } from '../../stand-in/render.js';
import type { VisibleMessage } from '../../stand-in/visible.js';

function message(over: Partial<VisibleMessage>): VisibleMessage {
  return {
    id: '1', channelId: '2', guildId: '3', type: 0, author: { id: '4', username: 'ds9-bot', bot: true },
    content: '', embeds: [], components: [], attachments: [], flags: 0, ephemeral: false, visibleTo: null,
    loading: false, edited: false, deleted: false, createdAt: new Date(0), allowedMentions: undefined,
    wouldPing: { everyone: false, users: [], roles: [] }, pingsAnyone: false, interactionId: null, replyTo: null,
    thread: null, reactions: [], ...over,
  };
}

describe('renderMessage', () => {
  it('GIVEN an embed and buttons THEN it shows title, description, fields, footer and numbered buttons', () => {
    const text = renderMessage(
      message({
        content: 'Question 1 of 3',
        embeds: [{ title: 'Who commands the station?', description: 'Pick one', fields: [{ name: 'Points', value: '10' }], footer: { text: 'Trivia' } }],
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 1, custom_id: 'a', label: 'A' },
              { type: 2, style: 1, custom_id: 'b', label: 'B', disabled: true },
            ],
          },
        ],
      }),
    );
    expect(text.split('\n')).toEqual([
      'ds9-bot [bot]: Question 1 of 3',
      '  │ **Who commands the station?**',
      '  │ Pick one',
      '  │ Points: 10',
      '  │ — Trivia',
      '  [1 A] [2 B (disabled)]',
    ]);
  });

  it('GIVEN an ephemeral edited message in a thread THEN the markers are shown', () => {
    const text = renderMessage(message({ content: 'Correct!', ephemeral: true, edited: true, thread: { id: '9', name: 'Week 1' } }));
    expect(text).toContain('thread: #Week 1');
    expect(text).toContain('(only you can see this) (edited)');
  });

  it('GIVEN a deferred response THEN it renders as thinking', () => {
    expect(renderMessage(message({ loading: true }))).toBe('ds9-bot [bot] is thinking...');
  });

  it('GIVEN buttons THEN buttonsOf numbers them in reading order with their custom ids', () => {
    const b = buttonsOf(
      message({
        components: [
          { type: 1, components: [{ type: 2, style: 1, custom_id: 'x', label: 'X' }] },
          { type: 1, components: [{ type: 2, style: 5, url: 'https://example.org', label: 'Link' }] },
        ],
      }),
    );
    expect(b.map((x) => [x.number, x.customId, x.url])).toEqual([
      [1, 'x', null],
      [2, null, 'https://example.org'],
    ]);
  });
});
