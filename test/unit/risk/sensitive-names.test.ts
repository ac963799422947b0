import { describe, expect, it } from 'vitest';
import { looksSensitive, nameRules, scoreName } from '../../../src/risk/sensitive-names.js';

describe('sensitive names', () => {
  it.each([
    ['api_key', 'api-key'],
    ['apiKey', 'api-key'],
    ['user_password_hash', 'password'],
    ['refresh_token', 'token'],
    ['session:', 'session'],
    ['chat_history', 'chat'],
    ['prompts', 'chat'],
    ['log_stream', 'logs'],
    ['customer_email', 'email'],
    ['README_TO_RECOVER', 'ransom-note'],
    ['credit_card', 'payment'],
  ])('%s → %s', (name, rule) => {
    expect(scoreName(name).map((h) => h.rule)).toContain(rule);
  });

  it.each(['metrics_daily', 'tokenizer_config', 'catalog', 'inventory', 'page_views', 'keyboard'])('%s is not sensitive', (name) => {
    expect(scoreName(name)).toEqual([]);
  });

  it('looksSensitive uses the table name and its fields', () => {
    expect(looksSensitive('events_daily', ['ts', 'api_key'])).toBe(true);
    expect(looksSensitive('metrics', ['ts', 'value'])).toBe(false);
  });

  it('rule ids are unique', () => {
    expect(new Set(nameRules.map((r) => r.id)).size).toBe(nameRules.length);
  });
});
