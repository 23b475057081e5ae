/** Which load engine runs a script: k6 itself, the built-in engine, or k6 when one is found (auto). */
export const ENGINE_CHOICES = ['auto', 'k6', 'builtin'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
