/**
 * Default comment templates, one per answer the App gives. `message` and `help` are written by
 * Stagecoach itself (user words in them are already quoted), so they are inserted unescaped.
 */
export const COMMENT_TEMPLATES = {
  promoting: "@{{actor}} Promoting **{{alias}}** to **{{stage}}**{{#if pullRequest}}: #{{pullRequest}}{{/if}}.",
  approved:
    "@{{actor}} Approved **{{alias}}** for **{{stage}}**: it is available there now, without verification upstream or soak time.",
  rollingBack:
    "@{{actor}} Rolling **{{stage}}** back to **{{alias}}**{{#if pullRequest}}: #{{pullRequest}}{{/if}}. Auto-promotion is held on {{stage}} until someone promotes by hand.",
  aborting: "@{{actor}} Aborting the promotion of **{{alias}}** to **{{stage}}**.",
  reverifying: "@{{actor}} Verifying **{{stage}}** again with **{{alias}}**.",
  refused: "{{{message}}}",
  invalid: "@{{actor}} {{{message}}}",
  unknown: "@{{actor}} {{{message}}}\n\n{{{help}}}",
  help: "{{{help}}}",
  superseded:
    "Superseded by #{{successor}} (**{{successorAlias}}**) for **{{stage}}**: closing this pull request. Nothing from it reached {{stage}}.",
  aborted:
    "This pull request was closed without merging, so the promotion of **{{alias}}** to **{{stage}}** is **Aborted**. To try again, comment `/promote {{stage}} {{alias}}`.",
} as const;
