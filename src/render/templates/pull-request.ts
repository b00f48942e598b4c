/** Default title of a promotion pull request (plain text: not HTML-escaped). */
export const PULL_REQUEST_TITLE = "Promote {{alias}} to {{stage}}";

/**
 * Default body of a promotion pull request; the metadata block is appended after it, always.
 * Command summaries come from the command table (Stagecoach's own text), so they go in unescaped.
 */
export const PULL_REQUEST_BODY = `Stagecoach promotes freight **{{alias}}** from warehouse \`{{warehouse}}\` to stage **{{stage}}** (project \`{{project}}\`).

### What changes
{{#if changes}}
{{#each changes}}
- \`{{artifact}}\`: {{#if from}}{{from}} → {{/if}}**{{to}}**
{{/each}}
{{else}}
No artifact version changes: {{stage}} already runs these versions.
{{/if}}
{{#unless current}}

This is the first promotion to {{stage}}.
{{/unless}}

### Freight {{alias}} (\`{{shortId}}\`)
| artifact | version | digest / commit |
|---|---|---|
{{#each images}}
| image {{#if link}}[\`{{repoURL}}\`]({{link}}){{else}}\`{{repoURL}}\`{{/if}} | \`{{tag}}\` | {{#if digest}}\`{{digest}}\`{{/if}} |
{{/each}}
{{#each commits}}
| git \`{{repoURL}}\` | {{#if tag}}\`{{tag}}\`{{else}}{{#if branch}}\`{{branch}}\`{{/if}}{{/if}} | {{#if link}}[\`{{shortId}}\`]({{link}}){{else}}\`{{shortId}}\`{{/if}} |
{{/each}}
{{#each charts}}
| chart \`{{ref}}\` | \`{{version}}\` | |
{{/each}}

### Verified in
{{#if verifiedIn}}
{{#each verifiedIn}}
- ✅ {{stage}} (verified {{verifiedAt}})
{{/each}}
{{else}}
Not verified in any stage yet.
{{/if}}
{{#each approvedFor}}
- 👍 approved for {{stage}} by hand ({{approvedAt}})
{{/each}}

### Commands
- **Approve** this pull request with a review: {{#if approvalsNeeded}}{{approvalsNeeded}} needed, from {{#each approvers}}\`{{this}}\`{{#unless @last}}, {{/unless}}{{else}}anyone with write access{{/each}}{{else}}no approval is required for this stage{{/if}}.
- **Merge** it to promote; closing it without merging aborts the promotion.
{{#each commands}}
- \`{{usage}}\`: {{{summary}}}
{{/each}}
`;
