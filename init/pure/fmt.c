// SPDX-License-Identifier: MIT
/* Pure: the printf subset the init needs (see fmt.h). */
#include <limits.h>
#include <string.h>

#include "pure/fmt.h"

struct out {
	char *buf;
	size_t len, pos;
};

struct spec {
	int left, zero, width, prec, lng;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->len)
		o->buf[o->pos] = c;
	o->pos++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

/* Digits of v, right-aligned in tmp; returns the start. */
static char *utoa(unsigned long long v, unsigned int base, char *end)
{
	*end = '\0';
	do
		*--end = "0123456789abcdef"[v % base];
	while (v /= base);
	return end;
}

static void emit(struct out *o, const struct spec *sp, const char *s, size_t n, int numeric)
{
	int w = sp->width - (int)n;

	if (!sp->left && sp->zero && numeric) {
		if (*s == '-') {
			put(o, '-');
			s++;
			n--;
		}
		pad(o, w, '0');
	} else if (!sp->left) {
		pad(o, w, ' ');
	}
	while (n--)
		put(o, *s++);
	if (sp->left)
		pad(o, w, ' ');
}

static const char *parse_num(const char *f, int *v, va_list *ap)
{
	if (*f == '*') {
		*v = va_arg(*ap, int);
		return f + 1;
	}
	for (*v = 0; *f >= '0' && *f <= '9'; f++)
		*v = *v * 10 + (*f - '0');
	return f;
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	f = parse_num(f, &sp->width, ap);
	if (sp->width < 0) {
		sp->left = 1;
		sp->width = -sp->width;
	}
	if (*f == '.') {
		f = parse_num(f + 1, &sp->prec, ap);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	for (; *f == 'l'; f++)
		sp->lng++;
	if (*f == 'z') {
		sp->lng = 3;
		f++;
	}
	return f;
}

static unsigned long long arg_u(const struct spec *sp, va_list *ap)
{
	if (sp->lng == 3)
		return va_arg(*ap, size_t);
	if (sp->lng == 2)
		return va_arg(*ap, unsigned long long);
	if (sp->lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_d(const struct spec *sp, va_list *ap)
{
	if (sp->lng == 3)
		return (long long)va_arg(*ap, size_t);
	if (sp->lng == 2)
		return va_arg(*ap, long long);
	if (sp->lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void convert(struct out *o, char c, const struct spec *sp, va_list *ap)
{
	char tmp[24] = "", *s;
	long long d;
	size_t n;

	switch (c) {
	case 'd':
	case 'i':
		d = arg_d(sp, ap);
		s = utoa(d < 0 ? 0ULL - (unsigned long long)d : (unsigned long long)d, 10,
			 tmp + sizeof(tmp) - 1);
		if (d < 0)
			*--s = '-';
		emit(o, sp, s, strlen(s), 1);
		return;
	case 'u':
	case 'x':
		s = utoa(arg_u(sp, ap), c == 'x' ? 16 : 10, tmp + sizeof(tmp) - 1);
		emit(o, sp, s, strlen(s), 1);
		return;
	case 's':
		s = va_arg(*ap, char *);
		if (!s)
			s = "(null)";
		n = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
		emit(o, sp, s, n, 0);
		return;
	case 'c':
		tmp[0] = (char)va_arg(*ap, int);
		emit(o, sp, tmp, 1, 0);
		return;
	}
	put(o, '%'); /* "%%" and anything unknown print as they are */
	if (c != '%')
		put(o, c);
}

int lb_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = { buf, len, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &aq);
		if (!*fmt)
			break;
		convert(&o, *fmt, &sp, &aq);
	}
	va_end(aq);
	if (len)
		buf[o.pos < len ? o.pos : len - 1] = '\0';
	return o.pos > INT_MAX ? -1 : (int)o.pos;
}

int lb_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = lb_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
