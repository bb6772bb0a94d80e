#!/usr/bin/perl
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes lockstep(1) to OUT: HEAD, then one section per subcommand made from the binary's own
# `lockstep --help` (the list of subcommands) and `lockstep SUB --help` (its description, options, arguments
# and notes), then TAIL. Generated so that the man page can never miss a subcommand or an option.
# usage: make-manpage.pl LOCKSTEP_BINARY HEAD TAIL OUT
use strict;
use warnings;

die "usage: $0 LOCKSTEP_BINARY HEAD TAIL OUT\n" unless @ARGV == 4;
my ($binary, $head, $tail, $outPath) = @ARGV;

# The journal's default path is printed from the environment of whoever builds: make it read as a variable.
$ENV{XDG_DATA_HOME} = '/XDG_DATA_HOME';
$ENV{QT_QPA_PLATFORM} = 'offscreen';

sub help_of {
    my @args = @_;
    open(my $out, '-|', $binary, @args) or die "make-manpage: cannot run $binary: $!\n";
    local $/;
    my $text = <$out>;
    close($out) or die "make-manpage: '$binary @args' failed\n";
    $text =~ s{/XDG_DATA_HOME/}{\$XDG_DATA_HOME/}g;
    return $text;
}

# Escapes text for roff: backslashes, minus signs (so that options can be copied), control characters
# at the start of a line.
sub roff {
    my ($text) = @_;
    $text =~ s/\\/\\e/g;
    $text =~ s/-/\\-/g;
    $text =~ s/^([.'])/\\&$1/mg;
    return $text;
}

sub slurp {
    my ($path) = @_;
    open(my $in, '<', $path) or die "make-manpage: cannot read $path: $!\n";
    local $/;
    return <$in>;
}

my $version = help_of('--version');
$version =~ s/^lockstep\s+//;
$version =~ s/\s+$//;

# "Subcommands:" then "  NAME  summary" lines up to the first blank line.
my $overview = help_of('--help');
my ($list) = $overview =~ /^Subcommands:\n((?:[ \t]+\S.*\n)+)/m
    or die "make-manpage: no Subcommands: list in lockstep --help\n";
my @subcommands;
my %summary;
for my $line (split /\n/, $list) {
    my ($name, $text) = $line =~ /^\s+(\S+)\s+(.*)$/ or next;
    push @subcommands, $name;
    $summary{$name} = $text;
}
die "make-manpage: no subcommands found\n" unless @subcommands;

# QCommandLineParser's layout: "Usage: ..." and a description up to "Options:"; options as
# "  -x, --name <VALUE>   text" with wrapped text indented under the text column; "Arguments:" alike;
# anything after them is a note ("Examples:", "Exit codes: ...") kept as it is.
sub entries {
    my ($block) = @_;
    my @items;
    for my $line (split /\n/, $block) {
        if ($line =~ /^  (\S.*?)(?:\s{2,}(\S.*))?$/) {
            push @items, [$1, defined $2 ? $2 : ''];
        } elsif ($line =~ /^\s{3,}(\S.*)$/ && @items) {
            $items[-1][1] .= ($items[-1][1] eq '' ? '' : ' ') . $1;
        }
    }
    return @items;
}

sub option_term {
    my ($term) = @_;
    # "-h, --help" or "--db <CONNINFO>": names bold, value placeholders italic.
    my @parts = split /, /, $term;
    return join(', ', map {
        my ($name, $value) = /^(\S+)(?:\s+<(.+)>)?$/ ? ($1, $2) : ($_, undef);
        '\fB' . roff($name) . '\fR' . (defined $value ? ' \fI' . roff($value) . '\fR' : '');
    } @parts);
}

my $body = '';
for my $sub (@subcommands) {
    my $help = help_of($sub, '--help');
    my @paragraphs = split /\n\s*\n/, $help;
    my $usage = shift @paragraphs;
    my ($synopsis, $description) = $usage =~ /^Usage: (.*?)\n(.*)$/s
        or die "make-manpage: '$sub --help' has no Usage: line\n";
    # Qt leaves positional arguments out of some usage lines: name them from the Arguments block.
    my $rest = (split / /, $synopsis, 3)[2] // '';
    my ($arguments) = map { /^Arguments:\n(.*)$/s ? $1 : () } @paragraphs;
    for my $item (defined $arguments ? entries($arguments) : ()) {
        my ($name, $text) = @$item;
        $rest .= ' ' . ($text =~ /\(optional\)/ ? "[$name]" : $name) unless $rest =~ /\Q$name\E/;
    }
    $body .= ".SS \"lockstep $sub\"\n";
    $body .= ".B lockstep $sub\n";
    $body .= roff($rest) . "\n" if $rest =~ /\S/;
    $description =~ s/\s*\n\s*/ /g;
    $description = ucfirst($summary{$sub}) . '.' unless $description =~ /\S/;
    $body .= ".PP\n" . roff($description) . "\n";

    for my $paragraph (@paragraphs) {
        if ($paragraph =~ /^(Options|Arguments):\n(.*)$/s) {
            my ($kind, $block) = ($1, $2);
            $body .= ".PP\n\\fB$kind:\\fR\n";
            for my $item (entries($block)) {
                my ($term, $text) = @$item;
                next if $term =~ /^(-h, )?--help(-all)?$/;   # said once for every subcommand
                $body .= ".TP\n" . ($kind eq 'Options' ? option_term($term) : '\fI' . roff($term) . '\fR')
                       . "\n" . roff($text) . "\n";
            }
        } elsif ($paragraph =~ /^([A-Z][^:\n]*):\n(.*)$/s) {
            # A titled list ("Examples:", "Hazard rules ...:"): its lines as they are.
            $body .= ".PP\n\\fB" . roff($1) . ":\\fR\n.RS\n.nf\n";
            (my $lines = $2) =~ s/^\s+//mg;
            $body .= roff($lines) . "\n.fi\n.RE\n";
        } elsif ($paragraph =~ /\S/) {
            (my $text = $paragraph) =~ s/\s*\n\s*/ /g;
            $text =~ s/^\s+|\s+$//g;
            $body .= ".PP\n" . roff($text) . "\n";
        }
    }
}

my $page = slurp($head) . $body . slurp($tail);
$page =~ s/\@VERSION\@/$version/g;
open(my $out, '>', "$outPath.tmp") or die "make-manpage: cannot write $outPath.tmp: $!\n";
print $out $page;
close($out) or die "make-manpage: cannot write $outPath.tmp: $!\n";
rename("$outPath.tmp", $outPath) or die "make-manpage: cannot rename to $outPath: $!\n";
