// Code generation: decision tries to one TypeScript module.
//
// Owns: the TypeScript shape of an ISLE program:
// - enums become a discriminated union type plus a same-named `as const`
//   object of tags. An enum whose variants have no fields is represented by
//   its tag alone (a number), so matching it is a `switch` on a number and
//   constructing it allocates nothing; other enums are objects with a
//   numeric `$tag` and one property per field;
// - external constructors, extractors and constants become members of the
//   generated `Context` interface, which the embedding code implements;
// - each internal constructor becomes an exported function
//   `constructor_<term>(ctx, arg0, ...)` whose body is the term's trie.
// Does not own: which tests run in which order (`trie.ts`).
//
// Invariants of the output:
// - It type-checks under `strict` TypeScript on its own (when extern types
//   are not imported from a `typesModule`, they are declared in the file).
// - Matching allocates nothing of its own: bindings are `const`s, tests are
//   `switch`/`if`, loops are `for...of` over what the Context returns. The
//   only allocations are the values the right-hand sides build.
// - The tuple an infallible extern extractor with several outputs returns
//   is read completely right after the call, before any other Context call,
//   so the Context may return one reused array (no allocation per match).
// - With a `typesModule`, only the types the module mentions are imported.
// - A case label inlined from `externEnumValues` is checked against the
//   imported enum when the module loads, so stale numbers fail loudly.
// - Every rule's leaf is preceded by a comment naming its `.isle` file and line.

import type { Binding, BindingId, TermRules } from './bindings.js';
import { extractArity, extractShape, callShape } from './bindings.js';
import type { Diagnostics, SourceSet, Span } from './diagnostics.js';
import type { Program, TExpr, TermInfo, TypeId, TypeInfo, VarId } from './sema.js';
import { tsIdent } from './sema.js';
import type { Trie, TrieNode } from './trie.js';
import type { LoweredRule } from './bindings.js';

export interface CodegenOptions {
  /**
   * Module to import external types from (opaque primitives and `extern`
   * enums, with each extern enum's tag object). When absent, those types are
   * declared in the generated file: primitives as opaque branded types and
   * extern enums like internal ones.
   */
  readonly typesModule?: string;
  /** Extra text for the header comment, e.g. the command that produced the file. */
  readonly banner?: string;
  /**
   * Numeric values of imported field-less enums' variants, by ISLE type name
   * then variant name. A `switch` over such an enum then gets literal case
   * labels, which V8 compiles to a jump table instead of a chain of property
   * loads and compares. The generated module checks every value it relies on
   * when it loads and throws if the types module disagrees (a stale build).
   */
  readonly externEnumValues?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const TAG = '$tag';

export function generate(
  program: Program,
  tries: readonly Trie[],
  sources: SourceSet,
  diags: Diagnostics,
  options: CodegenOptions = {},
): string {
  return new Generator(program, sources, diags, options).run(tries);
}

class Lines {
  readonly out: string[] = [];
  constructor(private depth = 0) {}
  get indent(): number {
    return this.depth;
  }
  line(s: string): void {
    this.out.push(s === '' ? '' : '  '.repeat(this.depth) + s);
  }
  open(s: string): void {
    this.line(s);
    this.depth++;
  }
  close(s = '}'): void {
    this.depth--;
    this.line(s);
  }
}

/** Scoped map from binding to the TypeScript expression holding its value. */
class Env {
  private readonly map = new Map<BindingId, string>();
  constructor(private readonly parent?: Env) {}
  get(b: BindingId): string | undefined {
    return this.map.get(b) ?? this.parent?.get(b);
  }
  set(b: BindingId, v: string): void {
    this.map.set(b, v);
  }
}

class Generator {
  private readonly typesModule: string | undefined;
  /** Inlined extern variant values, `Type.Variant` -> value, checked at load. */
  private readonly inlinedTags = new Map<string, number>();

  constructor(
    private readonly program: Program,
    private readonly sources: SourceSet,
    private readonly diags: Diagnostics,
    private readonly options: CodegenOptions,
  ) {
    this.typesModule = options.typesModule;
  }

  private where(span: Span): string {
    const loc = this.sources.location(span.file, span.start);
    return `${loc.file}:${loc.line}`;
  }

  ts(ty: TypeId): string {
    const t = this.program.types[ty];
    return t.kind === 'primitive' ? t.tsName : tsIdent(t.name);
  }

  /** Is this enum's declaration imported rather than generated? */
  private imported(t: TypeInfo): boolean {
    return this.typesModule !== undefined && t.isExtern && !t.builtin;
  }

  run(tries: readonly Trie[]): string {
    const out = new Lines();
    const files = Array.from({ length: this.sources.count }, (_, i) => this.sources.name(i));
    out.line('// Generated by @clift/isle from ' + files.join(', ') + '.');
    out.line('// DO NOT EDIT: this file is generated; edit the .isle sources and regenerate.');
    if (this.options.banner !== undefined) for (const l of this.options.banner.split('\n')) out.line('// ' + l);
    out.line('/* eslint-disable */');
    out.line('');
    const body = new Lines();
    this.typeDecls(body);
    this.context(body);
    const sorted = [...tries].sort((a, b) => a.term.term - b.term.term);
    for (const trie of sorted) new FunctionGen(this, this.program, trie).emit(body);
    this.inlinedTagCheck(body);
    const text = body.out.join('\n');
    this.imports(out, text);
    return [...out.out, ...body.out].join('\n') + '\n';
  }

  /**
   * Imports from the types module the external types that `text` (the rest
   * of the module) mentions, and only those: a program may declare many
   * more types than its rules and Context use (a whole generated opcode
   * set, say), and the embedder need not supply the unused ones.
   */
  private imports(out: Lines, text: string): void {
    if (this.typesModule === undefined) return;
    const typeOnly: string[] = [];
    const values: string[] = [];
    const mentioned = (name: string): boolean => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text);
    for (const t of this.program.types) {
      if (t.builtin) continue;
      if (t.kind === 'primitive') {
        if (t.repr === 'opaque' && /^[A-Za-z_$][\w$]*$/.test(t.tsName) && !typeOnly.includes(t.tsName) && mentioned(t.tsName)) {
          typeOnly.push(t.tsName);
        }
      } else if (t.isExtern && mentioned(tsIdent(t.name))) values.push(tsIdent(t.name));
    }
    if (typeOnly.length > 0) out.line(`import type { ${typeOnly.join(', ')} } from '${this.typesModule}';`);
    if (values.length > 0) out.line(`import { ${values.join(', ')} } from '${this.typesModule}';`);
    out.line('');
  }

  private typeDecls(out: Lines): void {
    const declaredOpaque = new Set<string>();
    for (const t of this.program.types) {
      if (t.builtin) continue;
      if (t.kind === 'primitive') {
        if (this.typesModule !== undefined || t.repr !== 'opaque' || declaredOpaque.has(t.tsName)) continue;
        if (!/^[A-Za-z_$][\w$]*$/.test(t.tsName)) continue;
        declaredOpaque.add(t.tsName);
        out.line(`/** Opaque primitive \`${t.name}\`: supply \`typesModule\` to use the embedder's own type. */`);
        out.line(`export type ${t.tsName} = { readonly __isleOpaque: '${t.tsName}' };`);
        out.line('');
        continue;
      }
      if (this.imported(t)) continue;
      const name = tsIdent(t.name);
      out.line(`/** ISLE enum \`${t.name}\`${t.span ? ` (${this.where(t.span)})` : ''}. */`);
      if (t.variants.length === 0) out.line(`export type ${name} = never;`);
      else if (t.unitOnly) {
        out.line(`export type ${name} = ${t.variants.map((v) => String(v.index)).join(' | ')};`);
      } else {
        out.open(`export type ${name} =`);
        t.variants.forEach((v, i) => {
          const fields = v.fields.map((f) => `readonly ${f.name}: ${this.ts(f.ty)}`);
          const body = [`readonly ${TAG}: ${v.index}`, ...fields].join('; ');
          out.line(`| { ${body} }${i === t.variants.length - 1 ? ';' : ''} // ${v.name}`);
        });
        out.close('');
        out.out.pop();
      }
      out.line(`/** Tags of \`${t.name}\`'s variants. */`);
      out.line(`export const ${name} = { ${t.variants.map((v) => `${v.name}: ${v.index}`).join(', ')} } as const;`);
      out.line('');
    }
  }

  // -------------------------------------------------------------------------
  // The Context interface

  ctorReturn(term: TermInfo): string {
    const r = this.ts(term.retTy);
    if (term.multi) return `Iterable<${r}>`;
    return term.partial ? `${r} | undefined` : r;
  }

  etorReturn(term: TermInfo): string {
    const e = term.extractor;
    if (e?.kind !== 'extern') throw new Error('internal error: not an extern extractor');
    const outs = term.argTys.filter((_, i) => !e.polarity[i]).map((t) => this.ts(t));
    const shape = extractShape(this.program, term.id);
    if (outs.length === 0) {
      if (shape === 'multi') return 'Iterable<unknown>';
      return shape === 'fallible' ? 'boolean' : 'void';
    }
    const base = outs.length === 1 ? outs[0] : `readonly [${outs.join(', ')}]`;
    if (shape === 'multi') return `Iterable<${base}>`;
    return shape === 'fallible' ? `${base} | undefined` : base;
  }

  private context(out: Lines): void {
    const members = new Map<string, { sig: string; span: Span; term: string }>();
    const add = (name: string, sig: string, span: Span, term: string, doc: string) => {
      const prev = members.get(name);
      if (prev !== undefined) {
        if (prev.sig !== sig) {
          this.diags.error(
            span,
            `Context method \`${name}\` is used for \`${term}\` with signature \`${sig}\`, but also for \`${prev.term}\` with signature \`${prev.sig}\``,
            [{ span: prev.span, message: 'first use here' }],
            'give one of them a different method name',
          );
        }
        return;
      }
      members.set(name, { sig, span, term });
      body.push(`/** ${doc} */`, sig + ';');
    };
    const body: string[] = [];
    for (const term of this.program.terms) {
      const c = term.constructor;
      if (c?.kind === 'extern') {
        const name = tsIdent(c.func);
        const params = term.argTys.map((t, i) => `arg${i}: ${this.ts(t)}`).join(', ');
        add(
          name,
          `${name}(${params}): ${this.ctorReturn(term)}`,
          c.span,
          term.name,
          `External constructor of \`${term.name}\` (${this.where(c.span)}).`,
        );
      }
      const e = term.extractor;
      if (e?.kind === 'extern') {
        const name = tsIdent(e.func);
        const ins = term.argTys.filter((_, i) => e.polarity[i]);
        const params = [`arg0: ${this.ts(term.retTy)}`, ...ins.map((t, i) => `arg${i + 1}: ${this.ts(t)}`)].join(', ');
        add(
          name,
          `${name}(${params}): ${this.etorReturn(term)}`,
          e.span,
          term.name,
          `External extractor of \`${term.name}\` (${this.where(e.span)}).`,
        );
      }
    }
    for (const c of this.program.consts.values()) {
      add(`$${c.name}`, `readonly $${c.name}: ${this.ts(c.ty)}`, c.span, `$${c.name}`, `Constant \`$${c.name}\` (${this.where(c.span)}).`);
    }
    out.line('/** What the generated matchers need from the embedding code. */');
    out.open('export interface Context {');
    for (const l of body) out.line(l);
    out.close();
    out.line('');
  }

  // -------------------------------------------------------------------------
  // Values

  literal(ty: TypeId, value: bigint): string {
    const t = this.program.types[ty];
    let v = value;
    if (t.int !== undefined) {
      const bits = BigInt(t.int.bits);
      const mod = 1n << bits;
      if (t.int.signed) {
        if (v >= mod >> 1n) v -= mod;
      } else if (v < 0n) v += mod;
    }
    switch (t.repr) {
      case 'number':
        return v < 0n ? `(${v})` : String(v);
      case 'bigint':
        return v < 0n ? `(${v}n)` : `${v}n`;
      case 'boolean':
        return v === 0n ? 'false' : 'true';
      case 'opaque':
        return `(${v} as unknown as ${this.ts(ty)})`;
    }
  }

  /**
   * A switch label for a variant of an imported field-less enum whose value
   * the embedder supplied (`externEnumValues`): the number with the
   * variant's name in a comment; undefined otherwise.
   */
  inlinedTag(ty: TypeId, variant: number): string | undefined {
    const t = this.program.types[ty];
    if (!t.unitOnly || !this.imported(t)) return undefined;
    const v = t.variants[variant];
    const n = this.options.externEnumValues?.[t.name]?.[v.name];
    if (n === undefined) return undefined;
    if (!Number.isSafeInteger(n)) throw new Error(`externEnumValues: ${t.name}.${v.name} is not an integer (${n})`);
    const name = `${tsIdent(t.name)}.${v.name}`;
    this.inlinedTags.set(name, n);
    return `${n} /* ${name} */`;
  }

  /** The load-time check of every inlined extern variant value. */
  private inlinedTagCheck(out: Lines): void {
    if (this.inlinedTags.size === 0) return;
    out.line('// Case labels above inline these values: fail at load, not with a wrong match, if the types module changed.');
    out.open('const $inlinedTags: readonly (readonly [string, number, number])[] = [');
    for (const [name, n] of this.inlinedTags) out.line(`['${name}', ${name}, ${n}],`);
    out.close('];');
    out.open('for (const [name, value, expected] of $inlinedTags) {');
    out.line("if (value !== expected) throw new Error(`generated ISLE code is stale: ${name} is ${value}, the code assumes ${expected}; regenerate it`);");
    out.close();
  }

  /** The TypeScript tag of a variant (a literal, or `E.V` for imported enums). */
  tag(ty: TypeId, variant: number): string {
    const t = this.program.types[ty];
    const v = t.variants[variant];
    if (this.imported(t)) return `${tsIdent(t.name)}.${v.name}`;
    return String(v.index);
  }

  /** Construction of an enum value from its argument expressions. */
  makeVariant(ty: TypeId, variant: number, args: readonly string[]): string {
    const t = this.program.types[ty];
    const v = t.variants[variant];
    if (t.unitOnly) return this.imported(t) ? this.tag(ty, variant) : `${v.index} /* ${t.name}.${v.name} */`;
    const fields = v.fields.map((f, i) => `${f.name}: ${args[i]}`);
    return `{ ${[`${TAG}: ${this.tag(ty, variant)}`, ...fields].join(', ')} }`;
  }

  callTerm(term: TermInfo, args: readonly string[]): string {
    const c = term.constructor;
    if (c?.kind === 'extern') return `ctx.${tsIdent(c.func)}(${args.join(', ')})`;
    return `constructor_${tsIdent(term.name)}(${['ctx', ...args].join(', ')})`;
  }

  whereRule(r: LoweredRule): string {
    const name = r.rule.name !== undefined ? ` \`${r.rule.name}\`` : '';
    const prio = r.rule.prio !== 0 ? `, priority ${r.rule.prio}` : '';
    return `Rule${name} at ${this.where(r.rule.span)}${prio}.`;
  }

  whereTerm(term: TermInfo): string {
    return this.where(term.span);
  }
}

/** Emits one internal constructor function. */
class FunctionGen {
  private counter = 0;
  private readonly bindings: readonly Binding[];
  private readonly term: TermInfo;
  private readonly rules: TermRules;
  /** `each` binding for a loop source. */
  private readonly eachOf = new Map<BindingId, BindingId>();
  private readonly multi: boolean;
  /** The output bindings of each multi-output extractor call. */
  private readonly outsOf = new Map<BindingId, BindingId[]>();

  constructor(
    private readonly g: Generator,
    private readonly program: Program,
    private readonly trie: Trie,
  ) {
    this.rules = trie.term;
    this.bindings = trie.term.bindings;
    this.term = program.terms[trie.term.term];
    this.multi = this.term.multi;
    this.bindings.forEach((b, i) => {
      if (b.kind === 'each') this.eachOf.set(b.source, i);
      if (b.kind === 'out' && b.arity > 1 && this.bindings[b.source].kind === 'extract') {
        const outs = this.outsOf.get(b.source) ?? [];
        outs.push(i);
        this.outsOf.set(b.source, outs);
      }
    });
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  emit(out: Lines): void {
    const term = this.term;
    const fname = `constructor_${tsIdent(term.name)}`;
    const ret = this.g.ts(term.retTy);
    const retType = this.multi ? `${ret}[]` : term.partial ? `${ret} | undefined` : ret;
    const body = new Lines();
    const env = new Env();
    term.argTys.forEach((_, i) => env.set(i, `arg${i}`));
    if (this.multi) body.line(`const out: ${ret}[] = [];`);
    const terminates = this.block(this.trie.nodes, env, body);
    if (this.multi) body.line('return out;');
    else if (!terminates) {
      if (term.partial) body.line('return undefined;');
      else {
        const msg = `no rule matched for term \`${term.name}\` (${this.g.whereTerm(term)}); should it be declared \`partial\`?`;
        body.line(`throw new Error(${JSON.stringify(msg)});`);
      }
    }
    // Drop eager tuple reads (see `value`) that no rule went on to use.
    const all = body.out.join('\n');
    const pruned = body.out.filter((l) => {
      const m = /^\s*const (v\d+) = v\d+\[\d+\];$/.exec(l);
      return m === null || (all.match(new RegExp(`\\b${m[1]}\\b`, 'g'))?.length ?? 0) > 1;
    });
    body.out.length = 0;
    body.out.push(...pruned);
    const text = body.out.join('\n');
    const used = (name: string) => new RegExp(`\\b${name.replace('$', '\\$')}\\b`).test(text);
    const params = [`${used('ctx') ? 'ctx' : '_ctx'}: Context`];
    term.argTys.forEach((t, i) => params.push(`${used(`arg${i}`) ? '' : '_'}arg${i}: ${this.g.ts(t)}`));
    const kind = this.multi ? 'multi-constructor' : term.partial ? 'partial constructor' : 'constructor';
    out.line(`/** Internal ${kind} for \`${term.name}\` (declared at ${this.g.whereTerm(term)}). */`);
    out.open(`export function ${fname}(${params.join(', ')}): ${retType} {`);
    for (const l of body.out) out.line(l);
    out.close();
    out.line('');
  }

  /** Emits a sequence of nodes; returns whether control never falls off its end. */
  private block(nodes: readonly TrieNode[], parent: Env, out: Lines): boolean {
    const env = new Env(parent);
    for (const node of nodes) {
      switch (node.kind) {
        case 'leaf':
          this.leaf(node.rule, env, out);
          if (!this.multi) return true;
          break;
        case 'check': {
          const c = node.test.c;
          if (c.kind === 'eq') {
            const a = this.value(node.test.binding, env, out);
            const b = this.value(c.other, env, out);
            out.open(`if (${a} === ${b}) {`);
          } else {
            const v = this.value(node.test.binding, env, out);
            out.open(this.isBooleanResult(node.test.binding) ? `if (${v}) {` : `if (${v} !== undefined) {`);
          }
          this.block(node.body, env, out);
          out.close();
          break;
        }
        case 'loop': {
          const src = this.value(node.test.binding, env, out);
          const each = this.eachOf.get(node.test.binding);
          const name = this.fresh('e');
          out.open(`for (const ${name} of ${src}) {`);
          const inner = new Env(env);
          if (each !== undefined) inner.set(each, name);
          this.block(node.body, inner, out);
          out.close();
          break;
        }
        case 'switch':
          if (this.switchNode(node, env, out)) return true;
          break;
      }
    }
    return false;
  }

  private isBooleanResult(b: BindingId): boolean {
    const bind = this.bindings[b];
    return bind.kind === 'extract' && extractArity(this.program, bind.term) === 0;
  }

  /** Emits a switch node; returns whether control never falls out of it. */
  private switchNode(node: Extract<TrieNode, { kind: 'switch' }>, env: Env, out: Lines): boolean {
    const subject = this.value(node.binding, env, out);
    const first = node.arms[0].test.c;
    let scrutinee = subject;
    if (first.kind === 'variant' && !this.program.types[first.type].unitOnly) scrutinee = `${subject}.${TAG}`;
    const label = (arm: (typeof node.arms)[number]): string => {
      const c = arm.test.c;
      switch (c.kind) {
        case 'variant': {
          const inlined = this.g.inlinedTag(c.type, c.variant);
          if (inlined !== undefined) return inlined;
          const t = this.program.types[c.type];
          const tag = this.g.tag(c.type, c.variant);
          return tag === String(c.variant) ? `${tag} /* ${t.name}.${t.variants[c.variant].name} */` : tag;
        }
        case 'int':
          return this.g.literal(this.bindingType(node.binding), c.value);
        case 'bool':
          return String(c.value);
        case 'const':
          return `ctx.$${c.name}`;
        default:
          throw new Error('internal error: not a switch test');
      }
    };
    if (node.arms.length === 1) {
      const arm = node.arms[0];
      const c = arm.test.c;
      if (c.kind === 'bool') out.open(c.value ? `if (${scrutinee}) {` : `if (!${scrutinee}) {`);
      else {
        const text = label(arm);
        const m = / \/\* (.*) \*\/$/.exec(text);
        out.open(m === null ? `if (${scrutinee} === ${text}) {` : `if (${scrutinee} === ${text.slice(0, m.index)}) { // ${m[1]}`);
      }
      this.block(arm.body, env, out);
      out.close();
      return false;
    }
    // A switch over every variant of an enum whose arms all return is
    // exhaustive: its last arm becomes `default`, so TypeScript (and the
    // reader) sees that control cannot fall out of it.
    const exhaustive = first.kind === 'variant' && node.arms.length === this.program.types[first.type].variants.length;
    // Arms are rendered first: whether the last one may be `default` depends on all of them.
    const bodies = node.arms.map((arm) => {
      const lines = new Lines(out.indent + 2);
      const terminates = this.block(arm.body, env, lines);
      if (!terminates) lines.line('break;');
      return { arm, lines, terminates };
    });
    const useDefault = exhaustive && bodies.every((b) => b.terminates);
    out.open(`switch (${scrutinee}) {`);
    bodies.forEach(({ arm, lines }, i) => {
      const text = label(arm);
      const comment = / \/\* (.*) \*\/$/.exec(text);
      out.open(useDefault && i === bodies.length - 1 ? `default: {${comment ? ` // ${comment[1]}` : ''}` : `case ${text}: {`);
      for (const l of lines.out) out.out.push(l);
      out.close();
    });
    out.close();
    return useDefault;
  }

  private bindingType(b: BindingId): TypeId {
    const bind = this.bindings[b];
    switch (bind.kind) {
      case 'arg':
        return this.term.argTys[bind.index];
      case 'field':
      case 'out':
      case 'call':
      case 'int':
      case 'const':
        return bind.ty;
      case 'variant':
        return bind.type;
      default:
        throw new Error(`internal error: binding ${bind.kind} has no single type`);
    }
  }

  /** The expression for a binding's value, emitting a `const` for it if needed. */
  private value(b: BindingId, env: Env, out: Lines): string {
    const known = env.get(b);
    if (known !== undefined) return known;
    const bind = this.bindings[b];
    let expr: string;
    let typeAnn = '';
    switch (bind.kind) {
      case 'arg':
        return `arg${bind.index}`;
      case 'int':
        return this.g.literal(bind.ty, bind.value);
      case 'bool':
        return String(bind.value);
      case 'const':
        return `ctx.$${bind.name}`;
      case 'field': {
        const src = this.value(bind.source, env, out);
        const f = this.program.types[bind.type].variants[bind.variant].fields[bind.field];
        expr = `${src}.${f.name}`;
        break;
      }
      case 'extract': {
        const src = this.value(bind.source, env, out);
        const ins = bind.inArgs.map((a) => this.value(a, env, out));
        const term = this.program.terms[bind.term];
        const e = term.extractor;
        if (e?.kind !== 'extern') throw new Error('internal error: extract of a non-extern extractor');
        expr = `ctx.${tsIdent(e.func)}(${[src, ...ins].join(', ')})`;
        const outs = this.outsOf.get(b);
        if (outs !== undefined && extractShape(this.program, bind.term) === 'plain') {
          // The tuple an infallible extractor returns is read at once, before
          // any other Context call, so the Context may hand out one reused
          // array rather than a new one per match. Unused reads are pruned.
          const name = this.fresh('v');
          out.line(`const ${name} = ${expr};`);
          env.set(b, name);
          for (const o of outs) {
            const ob = this.bindings[o];
            if (ob.kind !== 'out') continue;
            const oname = this.fresh('v');
            out.line(`const ${oname} = ${name}[${ob.index}];`);
            env.set(o, oname);
          }
          return name;
        }
        break;
      }
      case 'out': {
        const src = this.value(bind.source, env, out);
        if (bind.arity === 1) {
          env.set(b, src);
          return src;
        }
        expr = `${src}[${bind.index}]`;
        break;
      }
      case 'call': {
        const args = bind.args.map((a) => this.value(a, env, out));
        expr = this.g.callTerm(this.program.terms[bind.term], args);
        break;
      }
      case 'variant': {
        const args = bind.args.map((a) => this.value(a, env, out));
        expr = this.g.makeVariant(bind.type, bind.variant, args);
        typeAnn = `: ${this.g.ts(bind.type)}`;
        break;
      }
      case 'each':
        throw new Error('internal error: loop element used outside its loop');
    }
    const name = this.fresh('v');
    out.line(`const ${name}${typeAnn} = ${expr};`);
    env.set(b, name);
    return name;
  }

  // -------------------------------------------------------------------------
  // Right-hand sides

  private leaf(r: LoweredRule, parent: Env, out: Lines): void {
    out.line(`// ${this.g.whereRule(r)}`);
    const env = new Env(parent);
    const anf = needsAnf(this.program, r.rule.rhs);
    const locals = new Map<VarId, string>();
    let opened = 0;
    const ctx: RhsCtx = {
      env,
      out,
      anf,
      locals,
      r,
      open: (s: string) => {
        out.open(s);
        opened++;
      },
    };
    const value = this.rhs(r.rule.rhs, ctx);
    if (this.multi) out.line(`out.push(${value});`);
    else out.line(`return ${value};`);
    while (opened-- > 0) out.close();
  }

  private rhs(e: TExpr, c: RhsCtx): string {
    switch (e.kind) {
      case 'var': {
        const local = c.locals.get(e.var);
        if (local !== undefined) return local;
        const b = c.r.varBindings[e.var];
        if (b === undefined || b < 0) throw new Error('internal error: unbound variable in right-hand side');
        return this.value(b, c.env, c.out);
      }
      case 'int':
        return this.g.literal(e.ty, e.value);
      case 'bool':
        return String(e.value);
      case 'const':
        return `ctx.$${e.name}`;
      case 'let': {
        for (const d of e.defs) {
          const v = this.rhs(d.value, c);
          const name = this.fresh('l');
          c.out.line(`const ${name}: ${this.g.ts(d.ty)} = ${v};`);
          c.locals.set(d.var, name);
        }
        return this.rhs(e.body, c);
      }
      case 'term': {
        const args = e.args.map((a) => this.rhs(a, c));
        const term = this.program.terms[e.term];
        if (term.variant !== undefined) {
          const v = this.g.makeVariant(term.variant.type, term.variant.index, args);
          if (!c.anf || this.program.types[term.variant.type].unitOnly) return v;
          const name = this.fresh('t');
          c.out.line(`const ${name}: ${this.g.ts(e.ty)} = ${v};`);
          return name;
        }
        const call = this.g.callTerm(term, args);
        if (!c.anf) return call;
        const shape = callShape(this.program, e.term);
        const name = this.fresh('t');
        if (shape === 'multi') {
          c.open(`for (const ${name} of ${call}) {`);
          return name;
        }
        c.out.line(`const ${name} = ${call};`);
        if (shape === 'fallible') {
          if (this.multi) c.open(`if (${name} !== undefined) {`);
          else c.out.line(`if (${name} === undefined) return undefined;`);
        }
        return name;
      }
    }
  }
}

interface RhsCtx {
  readonly env: Env;
  readonly out: Lines;
  readonly anf: boolean;
  readonly locals: Map<VarId, string>;
  readonly r: LoweredRule;
  open(s: string): void;
}

/**
 * A right-hand side is emitted as straight-line statements (one `const` per
 * call, in evaluation order) when it calls a partial or multi term or uses
 * `let`; otherwise as one nested expression.
 */
function needsAnf(program: Program, e: TExpr): boolean {
  switch (e.kind) {
    case 'let':
      return true;
    case 'term': {
      const t = program.terms[e.term];
      if (t.variant === undefined && (t.partial || t.multi)) return true;
      return e.args.some((a) => needsAnf(program, a));
    }
    default:
      return false;
  }
}
