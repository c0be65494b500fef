// `oc-icsp completion bash|zsh`, for running the plugin directly (oc-icsp, kubectl-icsp). Under
// `oc icsp` and `kubectl icsp` the clients call the _complete-icsp helpers themselves. Both
// scripts ask the program (`__complete`) and read cobra's directive from the last line.

export function completionScript(shell: 'bash' | 'zsh'): string {
  return shell === 'bash' ? BASH : ZSH;
}

const BASH = `# bash completion for oc-icsp and kubectl-icsp: source <(oc-icsp completion bash)
_oc_icsp() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out directive
  out=$("\${COMP_WORDS[0]}" __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  directive=\${out##*:}
  out=\${out%:*}
  local IFS=$'\\n'
  COMPREPLY=($out)
  if [ "\${#COMPREPLY[@]}" -eq 0 ]; then
    if (( directive & 16 )); then COMPREPLY=($(compgen -d -- "$cur"))
    elif (( (directive & 4) == 0 )); then COMPREPLY=($(compgen -f -- "$cur")); fi
  fi
}
complete -o default -F _oc_icsp oc-icsp kubectl-icsp
`;

const ZSH = `#compdef oc-icsp kubectl-icsp
# zsh completion for oc-icsp and kubectl-icsp: source <(oc-icsp completion zsh)
_oc_icsp() {
  local -a lines
  lines=("\${(@f)$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  local directive=\${lines[-1]#:}
  lines=("\${(@)lines[1,-2]}")
  if (( \${#lines} )); then compadd -- "\${lines[@]}"
  elif (( directive & 16 )); then _files -/
  elif (( (directive & 4) == 0 )); then _files; fi
}
compdef _oc_icsp oc-icsp kubectl-icsp
`;
