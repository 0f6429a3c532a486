# Shared by the bench scripts (source it after setting SHARED and defining say).

# gen_data DIR ARGS...: runs the shared generator (../shared/tools/gen_cloudtrail.py ARGS) into DIR once; DIR's name
# carries the parameters, and a DIR without its .complete marker (an interrupted run) is generated again.
gen_data() {
  local dir=$1
  shift
  if [[ -f $dir/.complete ]]; then
    say "reusing $dir"
    return
  fi
  rm -rf "$dir"
  say "generating $dir"
  python3 "$SHARED/tools/gen_cloudtrail.py" "$dir" "$@" >"$dir.gen.log"
  mv "$dir.gen.log" "$dir/.complete"
}
