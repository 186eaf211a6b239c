import { println } from '../io.js';
import { defineCommand } from './command.js';

// Both ask the CLI for the words that fit (`gitops --get-yargs-completions <words>`, answered by
// yargs from the commands and flags defined here); adapted from yargs's own templates.
const SCRIPTS = {
  bash: `###-begin-gitops-completions-###
# bash completion for gitops: source it, or add \`source <(gitops completion bash)\` to ~/.bashrc
_gitops_completions() {
  local cur_word="\${COMP_WORDS[COMP_CWORD]}"
  local words
  words=$(gitops --get-yargs-completions "\${COMP_WORDS[@]}" 2>/dev/null)
  COMPREPLY=( $(compgen -W "\${words}" -- "\${cur_word}") )
  return 0
}
complete -o bashdefault -o default -F _gitops_completions gitops
###-end-gitops-completions-###`,
  zsh: `#compdef gitops
###-begin-gitops-completions-###
# zsh completion for gitops: add \`source <(gitops completion zsh)\` to ~/.zshrc (after compinit)
_gitops_completions() {
  local reply
  local si=$IFS
  IFS=$'\\n' reply=($(COMP_CWORD="$((CURRENT-1))" COMP_LINE="$BUFFER" COMP_POINT="$CURSOR" gitops --get-yargs-completions "\${words[@]}" 2>/dev/null))
  IFS=$si
  _describe 'values' reply
}
compdef _gitops_completions gitops
###-end-gitops-completions-###`,
};

/** `gitops completion bash|zsh`: prints a shell completion script. */
export const completionCommand = defineCommand({
  command: 'completion <shell>',
  describe: 'print a shell completion script (bash or zsh)',
  flags: (yargs) =>
    yargs
      .positional('shell', { choices: ['bash', 'zsh'] as const, demandOption: true, describe: 'the shell' })
      .example('source <(gitops completion bash)', 'complete gitops in this bash session'),
  run: async (args, io) => {
    println(io.stdout, SCRIPTS[args.shell]);
    return 0;
  },
});
