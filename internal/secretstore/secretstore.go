// Package secretstore keeps the custom secrets (secrets.json, persistence.md
// §5.2) on top of a store.Store: values encrypted at rest, decrypted only
// when one value is asked for, concurrent writes batched into one durable
// write.
//
// Behaviour beyond upstream (persistence.md §7 allows being stricter):
//   - a stored value that does not decrypt under the current key is never
//     returned and is kept byte-for-byte across writes of other names; only a
//     Put or Delete of that very name replaces or removes it;
//   - the parsed file is cached keyed by store.Version and only re-read when
//     the file changed (another process wrote it);
//   - Put and Delete calls that arrive while a write is in progress are
//     applied together, in order, by one writer holding the secrets lock, and
//     written once (group commit); each caller gets its own result.
//
// Reads (List, Get) take no lock: the store replaces the file atomically.
package secretstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"unicode/utf8"

	"github.com/openhands-go/sdk/internal/cipher"
	"github.com/openhands-go/sdk/internal/jsonx"
	"github.com/openhands-go/sdk/internal/store"
)

var (
	// ErrNotFound: no such secret, its value is null/undecryptable, or the
	// file is missing or unloadable (one generic case, server-api.md §5.4).
	ErrNotFound = errors.New("Secret not found")
	// ErrCorrupt: secrets.json exists but cannot be loaded (writes refuse).
	ErrCorrupt = errors.New("Secrets file is corrupted or encrypted with a different key")
	// ErrInvalidName: Put with a name that breaks the rule of server-api.md
	// §5.1 (the HTTP layer checks first; this is defence in depth).
	ErrInvalidName = errors.New("secretstore: invalid secret name")
	// ErrInvalidUTF8: Put with a value or description that is not valid
	// UTF-8 (JSON cannot carry it unchanged).
	ErrInvalidUTF8 = errors.New("secretstore: value or description is not valid UTF-8")
)

// RedactedValue is the redaction marker; PUT of it stores "no value".
const RedactedValue = "**********"

// Item is one listed secret: never a value.
type Item struct {
	Name        string
	Description *string
}

// Secrets is the custom-secrets repository. Safe for concurrent use.
type Secrets struct {
	st  store.Store
	c   *cipher.Cipher
	log *slog.Logger

	// mu guards doc and the mutable parts of the doc it points to
	// (entries, byName, versions); entries themselves are immutable apart
	// from their rendered fragment, which only the commit leader touches.
	mu  sync.RWMutex
	doc *doc
	// pending is the cached document while its successor is being written
	// under the lock: until the write completes readers keep using it
	// rather than re-parsing the file being replaced.
	pending *doc
	// loadMu makes concurrent cache misses parse the file once.
	loadMu sync.Mutex

	// qmu guards queue: Put/Delete operations waiting for a leader.
	qmu   sync.Mutex
	queue []*op
	// leader is a one-slot semaphore: whoever fills it commits the queue.
	leader chan struct{}

	// wbuf is the commit leader's render buffer, batch its batch counter.
	wbuf  []byte
	batch uint64

	warnPlain  sync.Once
	firstParse sync.Once
}

// New returns the repository; c may be nil (no key: plaintext at rest).
// log may be nil. New does no I/O; the first call loads the file.
func New(st store.Store, c *cipher.Cipher, log *slog.Logger) *Secrets {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Secrets{st: st, c: c, log: log, leader: make(chan struct{}, 1)}
}

// entry is one custom secret as stored.
type entry struct {
	name string
	// secret is the stored string (token, plaintext or blank), nil for null.
	secret *string
	desc   *string
	// frag is the entry's rendered member of custom_secrets (newline,
	// indentation, quoted name, MarshalFile of the object at nesting level
	// 2), filled lazily by the commit leader.
	frag []byte
	// mark is the number of the batch that replaces or removes this entry
	// (commit leader only): lets the render loop skip map look-ups for the
	// unchanged entries.
	mark uint64
}

// doc is the parsed secrets.json at one version.
type doc struct {
	ver     store.Version
	absent  bool
	corrupt bool
	entries []*entry
	byName  map[string]*entry
	// versions is the filtered _credential_versions map (never nil).
	versions *jsonx.Object
	// versFrag caches versions rendered at nesting level 1 (nil = not yet).
	versFrag []byte
	// dirty: some entry needs normalising at the next write (blank → null,
	// legacy plaintext → encrypted when a key is configured).
	dirty bool
	size  int
}

// op is one queued Put or Delete.
type op struct {
	del  bool
	name string
	put  *entry
	done chan error
}

// ValidName reports whether name follows server-api.md §5.1:
// ^[a-zA-Z][a-zA-Z0-9_]{0,63}$ (no trailing newline accepted).
func ValidName(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return true
}

// isSpace is Python's str.isspace for one rune (Unicode White_Space plus
// the ASCII information separators U+001C–U+001F).
func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0,
		0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// noValue reports whether a value means "no value": empty, whitespace-only
// or the redaction marker.
func noValue(v string) bool {
	if v == RedactedValue {
		return true
	}
	for _, r := range v {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------- reading

// current returns the cached document for the file's current version,
// re-reading the file when it changed.
func (s *Secrets) current(ctx context.Context) (*doc, error) {
	v, err := s.st.Stat(ctx, store.SecretsFile)
	if err != nil {
		return nil, err
	}
	if d := s.cached(v); d != nil {
		return d, nil
	}
	return s.reload(ctx)
}

// cached returns the cached document if it is at version v.
func (s *Secrets) cached(v store.Version) *doc {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.doc != nil && (s.doc.ver == v || s.pending == s.doc) {
		return s.doc
	}
	return nil
}

func (s *Secrets) reload(ctx context.Context) (*doc, error) {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	// Another caller may have reloaded while we waited.
	if v, err := s.st.Stat(ctx, store.SecretsFile); err == nil {
		if d := s.cached(v); d != nil {
			return d, nil
		}
	}
	data, ver, err := s.st.Read(ctx, store.SecretsFile)
	var d *doc
	switch {
	case errors.Is(err, store.ErrNotExist):
		d = &doc{absent: true, byName: map[string]*entry{}, versions: jsonx.NewObject()}
	case err != nil:
		return nil, err
	default:
		d = s.parse(data)
		d.ver = ver
	}
	s.firstParse.Do(func() { s.warnUndecryptable(d) })
	s.mu.Lock()
	s.doc = d
	s.mu.Unlock()
	return d, nil
}

// parse loads secrets.json leniently where upstream is lenient (legacy entry
// forms, _credential_versions) and marks the document corrupt where upstream
// fails to load it.
func (s *Secrets) parse(data []byte) *doc {
	d := &doc{byName: map[string]*entry{}, versions: jsonx.NewObject(), size: len(data)}
	corrupt := func(reason string, offset int64) *doc {
		// Never log the content: it may hold secret values.
		s.log.Error("secrets file cannot be loaded; it is left untouched and writes are refused",
			"file", store.SecretsFile, "reason", reason, "offset", offset)
		return &doc{corrupt: true, byName: map[string]*entry{}, versions: jsonx.NewObject(), size: len(data)}
	}
	top, err := jsonx.ParseObject(data)
	if err != nil {
		var se *jsonx.SyntaxError
		if errors.As(err, &se) {
			return corrupt("invalid JSON or not an object", se.Offset)
		}
		return corrupt("invalid JSON", 0)
	}
	if raw, ok := top.Get("custom_secrets"); ok {
		cs, ok := raw.(*jsonx.Object)
		if !ok {
			return corrupt("custom_secrets is not an object", 0)
		}
		d.entries = make([]*entry, 0, cs.Len())
		for _, name := range cs.Keys() {
			if !ValidName(name) {
				return corrupt("invalid secret name", 0)
			}
			e := &entry{name: name}
			switch v := cs.Value(name).(type) {
			case string:
				e.secret = &v
			case *jsonx.Object:
				switch sv := v.Value("secret").(type) {
				case nil:
				case string:
					e.secret = &sv
				default:
					return corrupt("a secret value is not a string", 0)
				}
				switch dv := v.Value("description").(type) {
				case nil:
				case string:
					e.desc = &dv
				default:
					return corrupt("a description is not a string", 0)
				}
			default:
				continue // other JSON types are silently dropped
			}
			if e.secret != nil && s.needsNormalising(*e.secret) {
				d.dirty = true
			}
			d.entries = append(d.entries, e)
			d.byName[name] = e
		}
	}
	if vo, ok := top.Value("_credential_versions").(*jsonx.Object); ok {
		for _, k := range vo.Keys() {
			if v, ok := vo.Value(k).(string); ok && v != "" {
				d.versions.Set(k, v)
			}
		}
	}
	return d
}

// needsNormalising: blank values are rewritten as null and, with a key,
// legacy plaintext values are encrypted at the next write.
func (s *Secrets) needsNormalising(raw string) bool {
	if noValue(raw) {
		return true
	}
	return s.c != nil && !cipher.LooksLikeToken(raw)
}

// warnUndecryptable logs, once per Secrets, how many stored values do not
// decrypt under the current key (never the values or names).
func (s *Secrets) warnUndecryptable(d *doc) {
	if s.c == nil || d.corrupt || d.absent {
		return
	}
	n := 0
	for _, e := range d.entries {
		if e.secret != nil && cipher.LooksLikeToken(*e.secret) {
			if _, err := s.c.Decrypt(*e.secret); err != nil {
				n++
			}
		}
	}
	if n > 0 {
		s.log.Warn("secrets.json holds values that do not decrypt under the configured key; they are kept unchanged but cannot be read",
			"count", n)
	}
}

// reveal turns a stored value into the plaintext, or ErrNotFound.
func (s *Secrets) reveal(raw *string) (string, error) {
	if raw == nil || noValue(*raw) {
		return "", ErrNotFound
	}
	if s.c != nil && cipher.LooksLikeToken(*raw) {
		v, err := s.c.Decrypt(*raw)
		if err != nil || noValue(v) {
			// A token decrypting to a blank value is "no value", as the
			// settings model reads it (and as a PUT of a blank value stores it).
			return "", ErrNotFound
		}
		return v, nil
	}
	return *raw, nil
}

// List returns names and descriptions in file order; a missing or unloadable
// file gives an empty list and no error.
func (s *Secrets) List(ctx context.Context) ([]Item, error) {
	d, err := s.current(ctx)
	if err != nil {
		return nil, fmt.Errorf("secretstore: load: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	items := make([]Item, 0, len(d.entries))
	for _, e := range d.entries {
		it := Item{Name: e.name}
		if e.desc != nil {
			desc := *e.desc
			it.Description = &desc
		}
		items = append(items, it)
	}
	return items, nil
}

// Get returns one plaintext value, or ErrNotFound. Other errors are I/O.
func (s *Secrets) Get(ctx context.Context, name string) (string, error) {
	if !ValidName(name) {
		return "", ErrNotFound
	}
	d, err := s.current(ctx)
	if err != nil {
		return "", fmt.Errorf("secretstore: load: %w", err)
	}
	s.mu.RLock()
	e := d.byName[name]
	var raw *string
	if e != nil {
		raw = e.secret
	}
	s.mu.RUnlock()
	return s.reveal(raw)
}

// ---------------------------------------------------------------- writing

// Put creates or replaces a secret (value and description). Blank values and
// the redaction marker are stored as null. ErrCorrupt when the file exists
// but cannot be loaded; other errors are I/O ("Failed to save secret").
func (s *Secrets) Put(ctx context.Context, name, value string, description *string) error {
	if !ValidName(name) {
		return ErrInvalidName
	}
	if !utf8.ValidString(value) || (description != nil && !utf8.ValidString(*description)) {
		return ErrInvalidUTF8
	}
	e := &entry{name: name}
	if !noValue(value) {
		if s.c != nil {
			tok, err := s.c.EncryptValue(value)
			if err != nil {
				return errors.New("secretstore: cannot encrypt the value")
			}
			e.secret = &tok
		} else {
			s.warnPlain.Do(func() {
				s.log.Warn("saving secrets in PLAINTEXT (no cipher configured); configure OH_SECRET_KEY for production deployments")
			})
			v := value
			e.secret = &v
		}
	}
	if description != nil {
		desc := *description
		e.desc = &desc
	}
	// Rendered here, in the caller's goroutine, so that concurrent callers
	// share the work instead of queueing it on the leader.
	frag, err := renderEntry(e)
	if err != nil {
		return err
	}
	e.frag = frag
	return s.submit(ctx, &op{name: name, put: e})
}

// Delete removes a secret: ErrNotFound when absent, ErrCorrupt when the file
// cannot be loaded.
func (s *Secrets) Delete(ctx context.Context, name string) error {
	if !ValidName(name) {
		return ErrNotFound
	}
	return s.submit(ctx, &op{del: true, name: name})
}

// errCommitFailed answers the callers of a batch whose commit panicked.
var errCommitFailed = errors.New("secretstore: internal error while saving")

// submit queues o and waits for its result, committing the queue itself
// whenever no other caller is doing so.
func (s *Secrets) submit(ctx context.Context, o *op) error {
	o.done = make(chan error, 1)
	s.qmu.Lock()
	s.queue = append(s.queue, o)
	s.qmu.Unlock()
	for {
		select {
		case err := <-o.done:
			return err
		case s.leader <- struct{}{}:
			func() {
				// Released even if lead panics, or every later write hangs.
				defer func() { <-s.leader }()
				s.lead(ctx, o)
			}()
		case <-ctx.Done():
			if s.dequeue(o) {
				return ctx.Err()
			}
			// A leader has taken o: wait for its answer, unless it hands o
			// back (its own context ended before the lock was taken).
			select {
			case err := <-o.done:
				return err
			case s.leader <- struct{}{}:
				// No leader in flight now: o is answered or back in the queue.
				var err error
				select {
				case err = <-o.done:
				default:
					s.dequeue(o)
					err = ctx.Err()
				}
				<-s.leader
				return err
			}
		}
	}
}

// dequeue removes o from the queue, reporting whether it was there.
func (s *Secrets) dequeue(o *op) bool {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	for i, q := range s.queue {
		if q == o {
			s.queue = append(s.queue[:i:i], s.queue[i+1:]...)
			return true
		}
	}
	return false
}

// lead commits everything queued. When the lock wait is abandoned because
// of the leader's own context, the other callers' operations (not applied)
// go back to the front of the queue for the next leader.
func (s *Secrets) lead(ctx context.Context, own *op) {
	s.qmu.Lock()
	batch := s.queue
	s.queue = nil
	s.qmu.Unlock()
	if len(batch) == 0 {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			// Answer every waiting caller before the panic goes on to the
			// leader's own caller (the HTTP layer turns it into a 500).
			for _, o := range batch {
				select {
				case o.done <- errCommitFailed:
				default:
				}
			}
			panic(r)
		}
	}()
	results, ran := s.commit(ctx, batch)
	if !ran && ctx.Err() != nil {
		var back []*op
		for _, o := range batch {
			if o == own {
				o.done <- ctx.Err()
			} else {
				back = append(back, o)
			}
		}
		s.qmu.Lock()
		s.queue = append(back, s.queue...)
		s.qmu.Unlock()
		return
	}
	for i, o := range batch {
		o.done <- results[i]
	}
}

// commit applies batch under the secrets lock and writes the file once.
// ran reports whether the locked function ran (nothing was applied if not).
func (s *Secrets) commit(ctx context.Context, batch []*op) (results []error, ran bool) {
	results = make([]error, len(batch))
	err := s.st.Locked(ctx, store.SecretsLock, func(tx store.Tx) error {
		ran = true
		// Holding the lock: finish even if the leader's caller gives up.
		ctx := context.WithoutCancel(ctx)
		d, err := s.current(ctx)
		if err != nil {
			err = fmt.Errorf("secretstore: load: %w", err)
			for i := range results {
				results[i] = err
			}
			return nil
		}
		if d.corrupt {
			for i := range results {
				results[i] = ErrCorrupt
			}
			return nil
		}
		p, err := s.plan(d, batch, results)
		if err != nil {
			for i := range results {
				if results[i] == nil {
					results[i] = err
				}
			}
			return nil
		}
		if p == nil {
			return nil // nothing to write (only deletes of absent names)
		}
		s.mu.Lock()
		s.pending = d
		s.mu.Unlock()
		if err := tx.Write(store.SecretsFile, p.data); err != nil {
			err = fmt.Errorf("secretstore: save: %w", err)
			for i := range results {
				if results[i] == nil {
					results[i] = err
				}
			}
			s.invalidate(d)
			return nil
		}
		ver, err := s.st.Stat(ctx, store.SecretsFile)
		s.install(d, p, ver, err == nil)
		return nil
	})
	if err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = err
			}
		}
	}
	return results, ran
}

// plan is the outcome of applying a batch to a document, not yet installed.
type plan struct {
	seq      uint64
	data     []byte
	entries  []*entry
	changes  map[string]*entry // nil value = deleted
	norm     map[string]*entry
	versions *jsonx.Object
	versFrag []byte
}

// plan applies the batch in order to d without modifying it, filling the
// per-operation results. It returns nil when nothing needs writing.
func (s *Secrets) plan(d *doc, batch []*op, results []error) (*plan, error) {
	p := &plan{changes: map[string]*entry{}, versions: d.versions, versFrag: d.versFrag}
	moved := map[string]bool{}
	var appended []string
	exists := func(n string) bool {
		if c, ok := p.changes[n]; ok {
			return c != nil
		}
		_, ok := d.byName[n]
		return ok
	}
	dropAppended := func(n string) {
		for i, a := range appended {
			if a == n {
				appended = append(appended[:i:i], appended[i+1:]...)
				return
			}
		}
	}
	versionsOwned := false
	ownVersions := func() {
		if !versionsOwned {
			p.versions = p.versions.Clone()
			p.versFrag = nil
			versionsOwned = true
		}
	}
	changed := false
	for i, o := range batch {
		if o.del {
			if !exists(o.name) {
				results[i] = ErrNotFound
				continue
			}
			p.changes[o.name] = nil
			dropAppended(o.name)
			if p.versions.Has(o.name) {
				ownVersions()
				p.versions.Delete(o.name)
			}
			changed = true
			continue
		}
		if !exists(o.name) {
			if _, inBase := d.byName[o.name]; inBase {
				moved[o.name] = true // deleted earlier in this batch: goes last
			}
			appended = append(appended, o.name)
		}
		p.changes[o.name] = o.put
		if p.versions.Has(o.name) {
			tok, err := newVersionToken()
			if err != nil {
				return nil, err
			}
			ownVersions()
			p.versions.Set(o.name, tok)
		}
		changed = true
	}
	if !changed {
		return nil, nil
	}
	s.batch++
	p.seq = s.batch
	for n := range p.changes {
		if e := d.byName[n]; e != nil {
			e.mark = p.seq
		}
	}
	if d.dirty {
		p.norm = map[string]*entry{}
		for _, e := range d.entries {
			if _, ch := p.changes[e.name]; ch || e.secret == nil || !s.needsNormalising(*e.secret) {
				continue
			}
			n := &entry{name: e.name, desc: e.desc}
			if !noValue(*e.secret) {
				tok, err := s.c.EncryptValue(*e.secret)
				if err != nil {
					return nil, errors.New("secretstore: cannot encrypt a legacy value")
				}
				n.secret = &tok
			}
			p.norm[e.name] = n
			e.mark = p.seq
		}
	}

	p.entries = make([]*entry, 0, len(d.entries)+len(appended))
	for _, e := range d.entries {
		if e.mark == p.seq {
			if c, ok := p.changes[e.name]; ok {
				if c == nil || moved[e.name] {
					continue
				}
				e = c
			} else if n, ok := p.norm[e.name]; ok {
				e = n
			}
		}
		p.entries = append(p.entries, e)
	}
	for _, n := range appended {
		p.entries = append(p.entries, p.changes[n])
	}
	data, err := s.render(p, d.size)
	if err != nil {
		return nil, err
	}
	p.data = data
	return p, nil
}

// install makes a written plan the cached document (or drops the cache when
// the new version is unknown).
func (s *Secrets) install(d *doc, p *plan, ver store.Version, verOK bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = nil
	d.entries = p.entries
	for n, e := range p.norm {
		d.byName[n] = e
	}
	for n, e := range p.changes {
		if e == nil {
			delete(d.byName, n)
		} else {
			d.byName[n] = e
		}
	}
	d.versions = p.versions
	d.versFrag = p.versFrag
	d.dirty = false
	d.absent = false
	d.size = len(p.data)
	d.ver = ver
	if verOK {
		s.doc = d
	} else {
		s.doc = nil
	}
}

// invalidate drops the cache after a failed write (the file may or may not
// have been replaced).
func (s *Secrets) invalidate(d *doc) {
	s.mu.Lock()
	s.pending = nil
	if s.doc == d {
		s.doc = nil
	}
	s.mu.Unlock()
}

// newVersionToken is secrets.token_urlsafe(24): 32 URL-safe characters.
func newVersionToken() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("secretstore: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// ---------------------------------------------------------------- rendering

// The file is jsonx.MarshalFile of
// {"custom_secrets": {NAME: {"name", "secret", "description"}, ...},
// "_credential_versions": {...}}, assembled from per-entry fragments so a
// write re-renders only the entries that changed.

func reindent(b []byte, prefix string) []byte {
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\n"+prefix))
}

func renderEntry(e *entry) ([]byte, error) {
	var secret, desc any
	if e.secret != nil {
		secret = *e.secret
	}
	if e.desc != nil {
		desc = *e.desc
	}
	b, err := jsonx.MarshalFile(jsonx.Obj("name", e.name, "secret", secret, "description", desc))
	if err != nil {
		return nil, err
	}
	// Valid names are plain ASCII: no escaping needed for the member name.
	out := make([]byte, 0, len(b)+len(e.name)+16+bytes.Count(b, []byte("\n"))*4)
	out = append(out, "\n    \""...)
	out = append(out, e.name...)
	out = append(out, "\": "...)
	for _, c := range b {
		out = append(out, c)
		if c == '\n' {
			out = append(out, "    "...)
		}
	}
	return out, nil
}

func (s *Secrets) render(p *plan, sizeHint int) ([]byte, error) {
	if p.versions.Len() > 0 && p.versFrag == nil {
		b, err := jsonx.MarshalFile(p.versions)
		if err != nil {
			return nil, err
		}
		p.versFrag = reindent(b, "  ")
	}
	// The leader's buffer is reused across writes (stores do not keep the
	// slice passed to Write); an oversized one is dropped.
	if cap(s.wbuf) < sizeHint+1024 || cap(s.wbuf) > 4*(sizeHint+1024) {
		s.wbuf = make([]byte, 0, sizeHint+sizeHint/8+1024)
	}
	buf := bytes.NewBuffer(s.wbuf[:0])
	buf.WriteString("{\n  \"custom_secrets\": ")
	if len(p.entries) == 0 {
		buf.WriteString("{}")
	} else {
		buf.WriteByte('{')
		for i, e := range p.entries {
			if e.frag == nil {
				f, err := renderEntry(e)
				if err != nil {
					return nil, err
				}
				e.frag = f
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Write(e.frag)
		}
		buf.WriteString("\n  }")
	}
	if p.versions.Len() > 0 {
		buf.WriteString(",\n  \"_credential_versions\": ")
		buf.Write(p.versFrag)
	}
	buf.WriteString("\n}")
	s.wbuf = buf.Bytes()
	return s.wbuf, nil
}
