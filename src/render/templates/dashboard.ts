/**
 * Default body of the promotion dashboard issue, also the answer to `/status` (without the
 * checkboxes). Each checkbox carries its stage and freight ID in an HTML comment.
 */
export const DASHBOARD = `{{#if interactive}}
This issue lists what runs where in project \`{{project}}\`. Tick a box to start that promotion (it needs the same permission as \`/promote\`). Stagecoach keeps this issue up to date; edits other than ticking are overwritten.
{{/if}}
{{#each stages}}

## {{healthIcon}} {{name}}
- Health: {{health}}
- Running: {{#if current}}**{{current.alias}}** ({{current.versions}}){{else}}nothing yet{{/if}}
{{#if openPromotions}}
- Open promotions: {{#each openPromotions}}#{{pullRequest}} (**{{alias}}**){{#unless @last}}, {{/unless}}{{/each}}
{{/if}}
{{#if promotable}}
{{#if ../interactive}}
{{#each promotable}}
- [ ] <!-- promote:{{../name}}:{{id}} --> Promote {{alias}} to {{../name}}
{{/each}}
{{else}}
- Available: {{#each promotable}}**{{alias}}** ({{versions}}){{#unless @last}}, {{/unless}}{{/each}}
{{/if}}
{{else}}
- No other freight is available to {{name}}.
{{/if}}
{{#if morePromotable}}
- … and {{morePromotable}} older freight (\`/status\` or the CLI lists them all).
{{/if}}
{{/each}}
`;
